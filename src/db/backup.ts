import BetterSqlite3 from 'better-sqlite3';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Backups of a deployment's data: the SQLite database, copied with SQLite's online backup API (a
 * consistent copy while the server keeps writing), and the photo folder. Each backup is a dated
 * folder — daiban.db, photos/, manifest.json — checked by opening the copy and asking SQLite for its
 * integrity before it counts. Restoring refuses while a server uses the database (see running-marks).
 */

export interface BackupManifest {
  createdAt: string;
  reason: string;
  errands: number;
  migrations: number;
  photos: number;
}

const BACKUP_PREFIX = 'daiban-';
const DB_FILE = 'daiban.db';

/** 2026-12-08T01:02:03.456Z → 20261208-010203 (UTC, sortable): names backups and copies. */
export const stampOf = (now: number) => new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

function countPhotos(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith('.')).length;
}

/** Opens a database copy read-only and checks it: integrity, and the figures the manifest records. */
export function checkDatabaseCopy(path: string): { errands: number; migrations: number } {
  const copy = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = copy.pragma('quick_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`the copy failed SQLite's check: ${String(integrity)}`);
    const count = (sql: string) => {
      try {
        return (copy.prepare(sql).get() as { n: number }).n;
      } catch {
        return 0;
      }
    };
    return { errands: count('SELECT count(*) AS n FROM errands'), migrations: count('SELECT count(*) AS n FROM __drizzle_migrations') };
  } finally {
    copy.close();
  }
}

/** Takes a backup into a new dated folder under `backupDir`; returns its path and manifest. */
export async function takeBackup(p: {
  sqlitePath: string;
  photosDir: string;
  backupDir: string;
  now: number;
  reason: string;
}): Promise<{ path: string; manifest: BackupManifest }> {
  mkdirSync(p.backupDir, { recursive: true });
  let path = join(p.backupDir, `${BACKUP_PREFIX}${stampOf(p.now)}`);
  for (let n = 2; existsSync(path); n++) path = join(p.backupDir, `${BACKUP_PREFIX}${stampOf(p.now)}-${n}`);
  // Written under a temporary name and renamed when complete: a half-made backup never looks like one.
  const partial = `${path}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial);
  const source = new BetterSqlite3(p.sqlitePath, { fileMustExist: true });
  try {
    await source.backup(join(partial, DB_FILE));
  } finally {
    source.close();
  }
  const checked = checkDatabaseCopy(join(partial, DB_FILE));
  if (existsSync(p.photosDir)) cpSync(p.photosDir, join(partial, 'photos'), { recursive: true });
  const manifest: BackupManifest = { createdAt: new Date(p.now).toISOString(), reason: p.reason, ...checked, photos: countPhotos(join(partial, 'photos')) };
  writeFileSync(join(partial, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(partial, path);
  return { path, manifest };
}

/** The worker's daily backup: one now, then the oldest beyond `keep` removed. */
export async function takeDailyBackup(p: {
  sqlitePath: string;
  photosDir: string;
  backupDir: string;
  keep: number;
  now: number;
}): Promise<{ path: string; errands: number; pruned: number }> {
  const taken = await takeBackup({ ...p, reason: 'daily' });
  return { path: taken.path, errands: taken.manifest.errands, pruned: pruneBackups(p.backupDir, p.keep).length };
}

/** The backups under `backupDir`, oldest first. */
export function listBackups(backupDir: string): string[] {
  if (!existsSync(backupDir)) return [];
  return readdirSync(backupDir)
    .filter((name) => name.startsWith(BACKUP_PREFIX) && !name.endsWith('.partial') && existsSync(join(backupDir, name, 'manifest.json')))
    .sort()
    .map((name) => join(backupDir, name));
}

/** Deletes the oldest backups beyond `keep`; returns the deleted paths. */
export function pruneBackups(backupDir: string, keep: number): string[] {
  const all = listBackups(backupDir);
  const old = all.slice(0, Math.max(0, all.length - keep));
  for (const path of old) rmSync(path, { recursive: true, force: true });
  return old;
}

/**
 * Puts a backup in place of the database and the photos. The current ones are kept aside (renamed
 * with `.before-restore-<stamp>`), so a restore can itself be undone. The caller makes sure no server
 * uses the database.
 */
export function restoreBackup(p: { backupPath: string; sqlitePath: string; photosDir: string; now: number }): {
  keptAside: string[];
  manifest: BackupManifest;
} {
  const manifestPath = join(p.backupPath, 'manifest.json');
  if (!existsSync(manifestPath) || !existsSync(join(p.backupPath, DB_FILE)))
    throw new Error(`${p.backupPath} is not a Daiban backup (no manifest.json and ${DB_FILE})`);
  checkDatabaseCopy(join(p.backupPath, DB_FILE));
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BackupManifest;
  const aside = `.before-restore-${stampOf(p.now)}`;
  const keptAside: string[] = [];
  for (const path of [p.sqlitePath, `${p.sqlitePath}-wal`, `${p.sqlitePath}-shm`, p.photosDir]) {
    if (!existsSync(path)) continue;
    renameSync(path, `${path}${aside}`);
    keptAside.push(`${path}${aside}`);
  }
  cpSync(join(p.backupPath, DB_FILE), p.sqlitePath);
  if (existsSync(join(p.backupPath, 'photos'))) cpSync(join(p.backupPath, 'photos'), p.photosDir, { recursive: true });
  return { keptAside, manifest };
}
