import { runConsole } from './chat-console.ts';

/**
 * `npm run chat`: the console client against a running server (DAIBAN_URL, default
 * http://127.0.0.1:$HTTP_PORT) with ADMIN_TOKEN. `npm run demo` starts a server and this console together.
 */
const token = process.env.ADMIN_TOKEN;
if (!token) {
  console.error('Set ADMIN_TOKEN to the server’s admin token (and DAIBAN_URL if it is not http://127.0.0.1:3000).');
  process.exit(1);
}
const baseUrl = process.env.DAIBAN_URL ?? `http://127.0.0.1:${process.env.HTTP_PORT ?? '3000'}`;
const status = await runConsole({
  baseUrl,
  token,
  identity: process.env.CHAT_AS ?? 'demo-villager',
  input: process.stdin,
  output: process.stdout,
  interactive: Boolean(process.stdin.isTTY),
});
process.exit(status);
