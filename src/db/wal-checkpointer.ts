import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

/**
 * Copies the write-ahead log back into the database file from a separate thread.
 *
 * SQLite's automatic checkpoint runs inside the committing call, so every few thousand writes one
 * chat message waits for the whole copy and its fsync. A PASSIVE checkpoint on another connection
 * does the same work without holding the write lock, so the event loop keeps answering. The main
 * connection keeps a (higher) automatic checkpoint as a safety net in case this thread falls behind.
 *
 * The thread body is plain CommonJS evaluated in the worker, so it runs the same under tsx, vitest
 * and a compiled build; it loads the very better-sqlite3 the main thread resolved.
 */

export interface WalCheckpointer {
  stop(): Promise<void>;
}

const THREAD_BODY = `
const { workerData, parentPort } = require('node:worker_threads');
const Driver = require(workerData.driver);
const db = new Driver(workerData.path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { /* busy: the next tick retries */ }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
`;

/** If the thread fails, onError hears it and commits fall back to the inline checkpoint. */
export function startWalCheckpointer(path: string, options: { everyMs?: number; onError?: (error: Error) => void } = {}): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD_BODY, { eval: true, workerData: { path, driver, everyMs: options.everyMs ?? 200 } });
  let exited = false;
  worker.on('error', (error) => options.onError?.(error));
  worker.once('exit', () => (exited = true));
  worker.unref();
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        // Held (ref) while stopping: otherwise a process with nothing else to do exits before this settles.
        worker.ref();
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      }),
  };
}
