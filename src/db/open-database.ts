import BetterSqlite3 from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stampOf } from './backup.ts';
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
  /**
   * Where to copy the database before applying new migrations to it (an upgrade): a folder; the copy
   * is `before-migration-<stamp>.db` there. Unset: no copy.
   */
  backupBeforeMigrationDir?: string;
  /** Pages of WAL after which a commit checkpoints inline; raise it when a background checkpointer runs. */
  autocheckpointPages?: number;
}

/** The migrations the database has not had yet (0 for a new database: nothing to keep). */
function pendingMigrations(sqlite: BetterSqlite3.Database): { pending: number; applied: number } {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  const table = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  const applied = table ? (sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n : 0;
  return { pending: Math.max(0, journal.entries.length - applied), applied };
}

/**
 * Applies the new migrations — all in one transaction (drizzle's migrator), so a failure leaves the
 * database as it was — after copying an existing database aside (VACUUM INTO: a consistent copy).
 */
function migrateSafely(sqlite: BetterSqlite3.Database, db: Db, path: string, backupDir: string | undefined): void {
  const { pending, applied } = pendingMigrations(sqlite);
  let copy: string | null = null;
  if (pending > 0 && applied > 0 && backupDir && path !== ':memory:') {
    mkdirSync(backupDir, { recursive: true });
    copy = join(backupDir, `before-migration-${stampOf(Date.now())}-${applied}.db`);
    sqlite.prepare('VACUUM INTO ?').run(copy);
  }
  try {
    migrate(db, { migrationsFolder });
  } catch (error) {
    sqlite.close();
    throw new Error(
      `Upgrading the database failed (${pending} new migration(s)); it is unchanged, as the previous version left it. ` +
        `${copy ? `A copy from before the attempt is at ${copy}. ` : ''}To roll back, run the previous version of Daiban again (e.g. git checkout <previous tag> && npm start); ` +
        `report this error with the log: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
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
  migrateSafely(sqlite, db, path, options.backupBeforeMigrationDir);
  // One transaction wrapper for all writes: better-sqlite3 prepares BEGIN/COMMIT once per wrapper.
  const runInTransaction = sqlite.transaction((fn: () => unknown) => fn());
  return {
    sqlite,
    db,
    write: <T>(fn: () => T): T => runInTransaction.immediate(fn) as T,
    close: () => sqlite.close(),
  };
}
