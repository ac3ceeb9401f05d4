import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../src/db/group-commit.ts';
import { openDatabase, type Database } from '../../src/db/open-database.ts';

/**
 * Group commit on a real SQLite file: what arrives in one turn of the event loop commits together,
 * each item in its own savepoint, and the after-commit step sees committed rows only.
 */

const dir = mkdtempSync(join(tmpdir(), 'daiban-group-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function fresh(): { database: Database; other: BetterSqlite3.Database; insert: (v: string) => number } {
  const path = join(dir, `g${++files}.db`);
  const database = openDatabase(path);
  database.sqlite.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
  const statement = database.sqlite.prepare('INSERT INTO items (v) VALUES (?)');
  // A second connection, like another process: it sees committed rows only.
  const other = new BetterSqlite3(path, { readonly: true });
  return { database, other, insert: (v) => Number(statement.run(v).lastInsertRowid) };
}
const committed = (other: BetterSqlite3.Database) => (other.prepare('SELECT v FROM items ORDER BY id').all() as { v: string }[]).map((r) => r.v);
const noAfterError = (error: unknown) => {
  throw error;
};

describe('group commit', () => {
  it('runs the items of one turn in order in one transaction and tells `after` once, after the commit', async () => {
    const { database, other, insert } = fresh();
    const seenByOther: string[][] = [];
    const afterCalls: { outputs: number[]; visible: string[] }[] = [];
    const submit = createGroupCommit(
      database,
      (v: string) => {
        seenByOther.push(committed(other));
        return insert(v);
      },
      (outputs) => afterCalls.push({ outputs, visible: committed(other) }),
      { onAfterError: noAfterError },
    );
    const ids = await Promise.all(['a', 'b', 'c'].map((v) => submit(v)));
    expect(ids).toEqual([1, 2, 3]);
    // Nothing was visible to another connection while the batch ran: one transaction.
    expect(seenByOther).toEqual([[], [], []]);
    expect(afterCalls).toEqual([{ outputs: [1, 2, 3], visible: ['a', 'b', 'c'] }]);
    expect(submit.waiting).toBe(0);
  });

  it('rolls back only the item that throws; the others commit and resolve', async () => {
    const { database, other, insert } = fresh();
    const afterCalls: number[][] = [];
    const submit = createGroupCommit(
      database,
      (v: string) => {
        const id = insert(v);
        if (v === 'bad') throw new Error('refused after writing');
        return id;
      },
      (outputs) => afterCalls.push(outputs),
      { onAfterError: noAfterError },
    );
    const results = await Promise.allSettled(['one', 'bad', 'two'].map((v) => submit(v)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[1]?.status === 'rejected' && String(results[1].reason)).toMatch(/refused after writing/);
    expect(committed(other)).toEqual(['one', 'two']);
    expect(afterCalls).toHaveLength(1);
    expect(afterCalls[0]).toHaveLength(2);
  });

  it('splits a long queue into batches of at most maxBatch, keeping the order', async () => {
    const { database, other, insert } = fresh();
    const sizes: number[] = [];
    const submit = createGroupCommit(database, insert, (outputs) => sizes.push(outputs.length), { maxBatch: 2, onAfterError: noAfterError });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((v) => submit(v)));
    expect(sizes).toEqual([2, 2, 1]);
    expect(committed(other)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('runs each item alone when the batch cannot commit, so one bad item does not sink the rest', async () => {
    const { database, other, insert } = fresh();
    // A deferred foreign key is checked at COMMIT only: the batch's commit fails, savepoints do not.
    database.sqlite.exec(
      'CREATE TABLE parents (id INTEGER PRIMARY KEY); CREATE TABLE children (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED)',
    );
    const orphan = database.sqlite.prepare('INSERT INTO children (parent) VALUES (99)');
    let runs = 0;
    const afterCalls: number[][] = [];
    const submit = createGroupCommit(
      database,
      (v: string) => {
        runs++;
        if (v === 'orphan') orphan.run();
        return insert(v);
      },
      (outputs) => afterCalls.push(outputs),
      { onAfterError: noAfterError },
    );
    const results = await Promise.allSettled(['x', 'orphan', 'y'].map((v) => submit(v)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[1]?.status === 'rejected' && String(results[1].reason)).toMatch(/FOREIGN KEY/);
    expect(committed(other)).toEqual(['x', 'y']);
    expect(other.prepare('SELECT count(*) AS n FROM children').get()).toEqual({ n: 0 });
    // Three runs in the failed batch, then each again alone; `after` only for what was committed.
    expect(runs).toBe(6);
    expect(afterCalls.map((o) => o.length)).toEqual([1, 1]);
  });

  it('answers the items when the after-commit step throws, and reports the error', async () => {
    const { database, other, insert } = fresh();
    const reported: unknown[] = [];
    const submit = createGroupCommit(
      database,
      insert,
      () => {
        throw new Error('queue away');
      },
      { onAfterError: (error) => reported.push(error) },
    );
    expect(await Promise.all([submit('p'), submit('q')])).toEqual([1, 2]);
    expect(committed(other)).toEqual(['p', 'q']);
    expect(reported).toHaveLength(1);
    expect(String(reported[0])).toMatch(/queue away/);
  });

  it('takes items submitted during a batch into the next one', async () => {
    const { database, other, insert } = fresh();
    const sizes: number[] = [];
    const later: Promise<number>[] = [];
    const submit = createGroupCommit(
      database,
      insert,
      (outputs) => {
        sizes.push(outputs.length);
        if (!later.length) later.push(submit('late'));
      },
      { onAfterError: noAfterError },
    );
    await Promise.all([submit('first'), submit('second')]);
    expect(await Promise.all(later)).toEqual([3]);
    expect(sizes).toEqual([2, 1]);
    expect(committed(other)).toEqual(['first', 'second', 'late']);
  });

  it('refuses the whole batch at once when another process holds the write lock past the busy timeout', async () => {
    const { database, other, insert } = fresh();
    database.sqlite.pragma('busy_timeout = 50');
    let runs = 0;
    let transactions = 0;
    const counted: Database = { ...database, write: (fn) => (transactions++, database.write(fn)) };
    const submit = createGroupCommit(
      counted,
      (v: string) => {
        runs++;
        return insert(v);
      },
      () => undefined,
      { onAfterError: noAfterError },
    );
    const holder = new BetterSqlite3(other.name);
    holder.prepare('BEGIN IMMEDIATE').run();
    const refused = await Promise.allSettled(['m', 'n', 'o'].map((v) => submit(v)));
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(refused[0]?.status === 'rejected' && (refused[0].reason as { code?: string }).code).toBe('SQLITE_BUSY');
    // One wait for the lock, not one more per item.
    expect(transactions).toBe(1);
    expect(runs).toBe(0);
    holder.prepare('ROLLBACK').run();
    holder.close();
    expect(await submit('p')).toBe(1);
    expect(committed(other)).toEqual(['p']);
  });
});
