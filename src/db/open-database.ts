import BetterSqlite3 from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.ts';

/**
 * Opens the SQLite database: WAL journal, foreign keys on, a busy timeout for other processes,
 * and every committed migration applied. `synchronous = NORMAL` in WAL mode keeps every committed
 * transaction across a crash or `kill -9` of the process (only an OS crash or power loss can lose
 * the last few); FULL can be chosen for that too.
 */

export type Db = BetterSQLite3Database<typeof schema>;

export interface Database {
  sqlite: BetterSqlite3.Database;
  db: Db;
  /** Runs fn in one write transaction (BEGIN IMMEDIATE). fn must not await. */
  write<T>(fn: () => T): T;
  close(): void;
}

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export interface OpenOptions {
  synchronous?: 'NORMAL' | 'FULL';
  /** Pages of WAL after which a commit checkpoints inline; raise it when a background checkpointer runs. */
  autocheckpointPages?: number;
}

export function openDatabase(path: string, options: OpenOptions = {}): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -32000');
  sqlite.pragma('temp_store = MEMORY');
  // Checkpoint less often than every 1,000 pages: each checkpoint syncs the file while a message waits.
  sqlite.pragma(`wal_autocheckpoint = ${options.autocheckpointPages ?? 10_000}`);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  // One transaction wrapper for all writes: better-sqlite3 prepares BEGIN/COMMIT once per wrapper.
  const runInTransaction = sqlite.transaction((fn: () => unknown) => fn());
  return {
    sqlite,
    db,
    write: <T>(fn: () => T): T => runInTransaction.immediate(fn) as T,
    close: () => sqlite.close(),
  };
}
