import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';
import { startWalCheckpointer } from '../../src/db/wal-checkpointer.ts';
import { until } from '../support/until.ts';

/**
 * The background checkpointer copies committed pages from the WAL into the database file while
 * the main connection never checkpoints by itself (autocheckpoint off here, so only the thread can).
 */

const dir = mkdtempSync(join(tmpdir(), 'daiban-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fillRows(path: string, autocheckpointPages: number) {
  const database = openDatabase(path, { autocheckpointPages });
  database.sqlite.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = database.sqlite.prepare('INSERT INTO filler (body) VALUES (?)');
  for (let i = 0; i < 2000; i++) database.write(() => insert.run('代办'.repeat(200)));
  return database;
}

describe('the WAL checkpointer thread', () => {
  it('moves committed pages into the database file without the main connection checkpointing', async () => {
    const path = join(dir, 'bg.db');
    const database = fillRows(path, 0);
    const sizeBefore = statSync(path).size;
    const checkpointer = startWalCheckpointer(path, { everyMs: 20 });
    await until(() => statSync(path).size > sizeBefore + 1_000_000, 'the database file to grow by the checkpointed pages', 5000, 20);
    await checkpointer.stop();
    expect(statSync(path).size).toBeGreaterThan(sizeBefore + 1_000_000);
    // The main connection still reads and writes normally after the thread has gone.
    database.write(() => database.sqlite.prepare('INSERT INTO filler (body) VALUES (?)').run('x'));
    expect(database.sqlite.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 2001 });
    database.close();
  });

  it('without it, the same writes stay in the WAL (the control for the test above)', async () => {
    const path = join(dir, 'control.db');
    const database = fillRows(path, 0);
    const sizeBefore = statSync(path).size;
    await new Promise((r) => setTimeout(r, 200));
    expect(statSync(path).size).toBe(sizeBefore);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(1_000_000);
    database.close();
  });

  it('reports a thread that cannot open the database, and stops cleanly', async () => {
    const errors: Error[] = [];
    const checkpointer = startWalCheckpointer(join(dir, 'no-such-dir', 'x.db'), { onError: (e) => errors.push(e) });
    await until(() => errors.length > 0, 'the thread to report its error', 5000, 20);
    await checkpointer.stop();
    expect(errors[0]?.message).toMatch(/directory does not exist|unable to open/i);
  });
});
