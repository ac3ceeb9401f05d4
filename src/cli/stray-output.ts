import { format } from 'node:util';
import type { Logger } from 'pino';

/**
 * In the chat console the terminal belongs to the conversation. What libraries print on their own —
 * BullMQ's "IMPORTANT! Eviction policy…", ioredis' unhandled errors, Node's process warnings — goes to
 * the log (a file in `npm run demo`) instead, at its level, so no line of it lands between a question
 * and its answer. The console's own output is written to its stream directly, not through `console`.
 */
export function routeStrayOutput(logger: Logger): void {
  const to =
    (level: 'info' | 'warn' | 'error') =>
    (...args: unknown[]) =>
      logger[level]({ source: 'console' }, format(...args));
  console.log = to('info');
  console.info = to('info');
  console.debug = to('info');
  console.warn = to('warn');
  console.error = to('error');
  console.trace = to('warn');
  // Node prints warnings to stderr through its own listener; ours replaces it.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.warn({ source: 'process', err: warning }, warning.message));
}
