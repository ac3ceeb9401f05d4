import type { Database } from './open-database.ts';

/**
 * Group commit: work items that arrive in the same turn of the event loop are run one after another
 * in ONE write transaction, each in a savepoint of its own, and committed together. A commit in WAL
 * mode writes every page the transaction touched; items of one batch mostly touch the same pages
 * (the ends of the append-only tables and their indexes), so a batch writes far fewer pages than its
 * items would one by one, and pays BEGIN and COMMIT once.
 *
 * - An item that throws rolls back its own savepoint only; its promise rejects, the others commit.
 * - `after` runs once per batch with the outputs of the items that succeeded, only after the commit
 *   (it tells queues about rows that must be visible to other processes first).
 * - When the batch itself cannot be committed (BEGIN or COMMIT failed, everything rolled back), each
 *   item is run again alone in a transaction of its own, so one item's trouble cannot sink the others
 *   — unless the write lock could not be had (SQLITE_BUSY): then every item is refused with it.
 * - `run` must be synchronous: nothing else may use the connection while a batch holds it.
 */

export interface GroupCommit<I, O> {
  (input: I): Promise<O>;
  /** Items waiting for the next batch (for tests and metrics). */
  readonly waiting: number;
}

interface Waiting<I, O> {
  input: I;
  resolve(output: O): void;
  reject(error: unknown): void;
}

type Outcome<O> = { ok: true; output: O } | { ok: false; error: unknown };

export interface GroupCommitOptions {
  /** The most items in one transaction (default 64). */
  maxBatch?: number;
  /** `after` threw: the items are committed and answered all the same; this hears of it. */
  onAfterError(error: unknown): void;
}

export function createGroupCommit<I, O>(
  database: Database,
  run: (input: I) => O,
  after: (outputs: O[]) => void,
  options: GroupCommitOptions,
): GroupCommit<I, O> {
  const maxBatch = options.maxBatch ?? 64;
  let queue: Waiting<I, O>[] = [];
  let scheduled = false;

  const attempt = (input: I): Outcome<O> => {
    try {
      // Nested in the batch's transaction, database.write is a savepoint.
      return { ok: true, output: database.write(() => run(input)) };
    } catch (error) {
      return { ok: false, error };
    }
  };

  const settle = (batch: Waiting<I, O>[], outcomes: Outcome<O>[]) => {
    const outputs = outcomes.flatMap((o) => (o.ok ? [o.output] : []));
    try {
      if (outputs.length) after(outputs);
    } catch (error) {
      options.onAfterError(error);
    }
    outcomes.forEach((o, i) => (o.ok ? batch[i]?.resolve(o.output) : batch[i]?.reject(o.error)));
  };

  const flush = () => {
    scheduled = false;
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(batch.length);
    if (queue.length) schedule();
    let outcomes: Outcome<O>[];
    try {
      outcomes = database.write(() => batch.map((w) => attempt(w.input)));
    } catch (error) {
      // Another process held the write lock past the busy timeout: alone, each would wait as long again.
      if ((error as { code?: unknown }).code === 'SQLITE_BUSY') {
        for (const w of batch) w.reject(error);
        return;
      }
      // Nothing of the batch was stored: each item alone, in its own transaction.
      for (const w of batch) settle([w], [attempt(w.input)]);
      return;
    }
    settle(batch, outcomes);
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  const submit = (input: I) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      schedule();
    });
  return Object.defineProperty(submit, 'waiting', { get: () => queue.length }) as GroupCommit<I, O>;
}
