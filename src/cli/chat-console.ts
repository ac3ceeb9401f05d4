import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { findReceiptNo } from '../domain/receipt-number.ts';

/**
 * A console client for the simulator channel: talk to the bot as anyone, privately or in a room,
 * and see the messages it sends later (notifications) as they arrive.
 *
 * Interactive: a prompt; notifications are polled every second. Scripted (stdin is a file or a
 * pipe): each line is played in order and echoed with the answers; `/expect <words>` fails the run
 * (exit status 1) when the last answer does not contain the words, `/expect-notice <words>` waits
 * up to 10 s for a later message containing them, and `{回执号}` in a line stands for the last
 * receipt number the console has seen (so a script can act on the errand it just filed).
 *
 * Commands: /as <identity> · /room <room id> · /private · /who · /help · /quit
 *           (scripts also: /expect <words> · /expect-notice <words> · /sleep <ms>)
 */

export interface ConsoleOptions {
  baseUrl: string;
  token: string;
  identity: string;
  input: Readable;
  output: Writable;
  interactive: boolean;
}

interface SentMessage {
  id: number;
  to: string | null;
  room: string | null;
  text: string;
}

/** Earlier messages shown on arriving at an identity or room. */
const RECENT = 5;

const HELP = [
  'Commands:',
  '  /as <identity>    speak as someone else (e.g. /as zhang-xiuhua, /as agent-li)',
  '  /room <room id>   speak in a group chat (e.g. /room sq-agents@chatroom); /private to leave it',
  '  /who              who and where you are',
  '  /quit             leave',
  'Anything else is sent to the bot.',
].join('\n');

export async function runConsole(options: ConsoleOptions): Promise<number> {
  const { baseUrl, token, output } = options;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let identity = options.identity;
  let room: string | null = null;
  let lastReplies: string[] = [];
  const seen = new Map<string, number>();
  const notices: string[] = [];
  let lastReceipt: string | null = null;
  const write = (text: string) => {
    lastReceipt = findReceiptNo(text) ?? lastReceipt;
    output.write(`${text}\n`);
  };

  const target = () => (room ? `room=${encodeURIComponent(room)}` : `to=${encodeURIComponent(identity)}`);
  const fetchOutbox = async (): Promise<SentMessage[]> => {
    const key = target();
    const r = await fetch(`${baseUrl}/api/simulator/outbox?${key}&after=${seen.get(key) ?? 0}`, { headers });
    if (!r.ok) throw new Error(`outbox: HTTP ${r.status} ${await r.text()}`);
    const { messages } = (await r.json()) as { messages: SentMessage[] };
    const last = messages[messages.length - 1];
    if (last) seen.set(key, last.id);
    return messages;
  };
  /** Prints messages that arrived later; skips the direct replies already shown. */
  const showNotifications = async (alreadyShown: readonly string[] = []) => {
    const pending = [...alreadyShown];
    for (const m of await fetchOutbox()) {
      const i = pending.indexOf(m.text);
      if (i >= 0) {
        pending.splice(i, 1);
        continue;
      }
      notices.push(m.text);
      write(`\n🔔 ${m.room ? `[${m.room}] ` : ''}${m.text}`);
    }
  };

  const send = async (text: string) => {
    const r = await fetch(`${baseUrl}/api/simulator/messages`, { method: 'POST', headers, body: JSON.stringify({ from: identity, room, text }) });
    if (!r.ok) {
      write(`(the bot refused: HTTP ${r.status} ${await r.text()})`);
      lastReplies = [];
      return;
    }
    const { replies } = (await r.json()) as { replies: { text: string }[] };
    lastReplies = replies.map((x) => x.text);
    if (!lastReplies.length) write('(no answer: in a room the bot speaks only when @mentioned)');
    for (const reply of lastReplies) write(`\n${reply}\n`);
    await showNotifications(lastReplies);
  };

  const who = () => write(`You are ${identity}${room ? ` in room ${room}` : ' in a private chat'}.`);
  /** On arriving somewhere new, shows what was sent there before (at most the last few). */
  const arrive = async () => {
    who();
    if (seen.has(target())) return showNotifications();
    const earlier = await fetchOutbox();
    for (const m of earlier.slice(-RECENT)) {
      notices.push(m.text);
      write(`\n🔔 ${m.room ? `[${m.room}] ` : ''}${m.text}`);
    }
  };

  /** Runs one line; returns an exit status to stop with, or null to go on. */
  const run = async (line: string): Promise<number | null> => {
    const raw = line.trim();
    if (!raw || (!options.interactive && raw.startsWith('#'))) return null;
    if (raw.includes('{回执号}') && !lastReceipt) return (write('✗ {回执号}: no receipt number seen yet'), options.interactive ? null : 1);
    const text = raw.replaceAll('{回执号}', lastReceipt ?? '');
    const [command, ...rest] = text.split(/\s+/);
    const arg = rest.join(' ');
    switch (command) {
      case '/quit':
      case '/exit':
        return 0;
      case '/help':
        write(HELP);
        return null;
      case '/who':
        who();
        return null;
      case '/as':
        if (!arg) return (write('usage: /as <identity>'), null);
        identity = arg;
        room = null;
        await arrive();
        return null;
      case '/room':
        if (!arg) return (write('usage: /room <room id>'), null);
        room = arg;
        await arrive();
        return null;
      case '/private':
        room = null;
        await arrive();
        return null;
      case '/sleep':
        await new Promise((r) => setTimeout(r, Number(arg) || 500));
        return null;
      case '/expect':
        if (lastReplies.some((r) => r.includes(arg))) return null;
        write(`✗ expected the last answer to contain “${arg}”, it was:\n${lastReplies.join('\n') || '(nothing)'}`);
        return 1;
      case '/expect-notice':
        for (let i = 0; i < 100; i++) {
          if (notices.some((n) => n.includes(arg))) return null;
          await new Promise((r) => setTimeout(r, 100));
          await showNotifications();
        }
        write(`✗ expected a later message containing “${arg}” for ${identity}${room ? ` in ${room}` : ''}`);
        return 1;
      default:
        write(`${room ? `[${room}] ` : ''}${identity}> ${text}`);
        await send(text);
        return null;
    }
  };

  write(`Daiban chat console — ${baseUrl}`);
  if (options.interactive) write('Type /help for commands.');
  await arrive();

  const lines = createInterface({ input: options.input, terminal: options.interactive });
  let poller: NodeJS.Timeout | null = null;
  if (options.interactive) {
    poller = setInterval(() => void showNotifications().catch(() => undefined), 1000);
    lines.setPrompt('> ');
    lines.prompt();
  }
  try {
    for await (const line of lines) {
      const status = await run(line).catch((error: unknown) => {
        write(`(error: ${error instanceof Error ? error.message : String(error)})`);
        return options.interactive ? null : 1;
      });
      if (status !== null) return status;
      if (options.interactive) lines.prompt();
    }
    return 0;
  } finally {
    if (poller) clearInterval(poller);
    lines.close();
  }
}
