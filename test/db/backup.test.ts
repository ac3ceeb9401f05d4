import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDatabaseCopy, listBackups, pruneBackups, restoreBackup, takeBackup, takeDailyBackup } from '../../src/db/backup.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { markRunning } from '../../src/db/running-marks.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Backups: taken while the server files errands, a backup holds every errand acknowledged before it
 * started; restoring it puts them back; a restore is refused while a server uses the database; an
 * upgrade copies the database before migrating, and a failed migration leaves it as it was.
 */

const dir = mkdtempSync(join(tmpdir(), 'daiban-backup-'));
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ worker: false });
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A folder with a new, migrated database and a place for its backups. */
function freshDeployment() {
  const home = mkdtempSync(join(dir, 'deploy-'));
  const sqlitePath = join(home, 'daiban.db');
  openDatabase(sqlitePath).close();
  return { home, sqlitePath, backupDir: join(home, 'backups') };
}

const receiptsIn = (path: string) => {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return new Set((db.prepare('SELECT receipt_no AS r FROM errands').all() as { r: string }[]).map((x) => x.r));
  } finally {
    db.close();
  }
};

describe('a backup taken under load', () => {
  it('holds every errand acknowledged before it started, and restores them', async () => {
    const acknowledged: string[] = [];
    let filing = true;
    let n = 0;
    const agentFiles = async (agent: string) => {
      while (filing) {
        n += 1;
        const [reply] = await app.say(agent, `代办 村民${String.fromCharCode(0x4e00 + n)}${n} 138${String(n).padStart(8, '0')} 宅基地建房 已签委托书`);
        const receipt = /DB\d{9,}/.exec(reply ?? '')?.[0];
        if (receipt) acknowledged.push(receipt);
      }
    };
    const load = Promise.all([agentFiles('agent-li'), agentFiles('agent-sun'), agentFiles('agent-zhao')]);
    while (acknowledged.length < 30) await new Promise((r) => setTimeout(r, 20));
    const before = [...acknowledged];
    const backupDir = join(dir, 'backups');
    const { path, manifest } = await takeBackup({
      sqlitePath: app.config.sqlitePath,
      photosDir: app.config.photosDir,
      backupDir,
      now: Date.now(),
      reason: 'test',
    });
    filing = false;
    await load;
    expect(acknowledged.length).toBeGreaterThan(before.length);
    const copy = receiptsIn(join(path, 'daiban.db'));
    expect(before.filter((r) => !copy.has(r))).toEqual([]);
    expect(manifest.errands).toBe(copy.size);
    expect(listBackups(backupDir)).toEqual([path]);

    // Restored into a deployment of its own: the same errands.
    const target = join(dir, 'restored');
    mkdirSync(target);
    const restored = restoreBackup({ backupPath: path, sqlitePath: join(target, 'daiban.db'), photosDir: join(target, 'photos'), now: Date.now() });
    expect(restored.keptAside).toEqual([]);
    const reopened = openDatabase(join(target, 'daiban.db'));
    try {
      const receipts = new Set((reopened.sqlite.prepare('SELECT receipt_no AS r FROM errands').all() as { r: string }[]).map((x) => x.r));
      expect(before.filter((r) => !receipts.has(r))).toEqual([]);
    } finally {
      reopened.close();
    }
  });
});

describe('npm run restore', () => {
  it('refuses while a server uses the database, and restores once it is stopped', async () => {
    const { home, sqlitePath, backupDir } = freshDeployment();
    const { path } = await takeBackup({ sqlitePath, photosDir: join(home, 'photos'), backupDir, now: Date.now(), reason: 'test' });
    const env = { ...process.env, ADMIN_TOKEN: 'restore-admin-token-0123456789', SQLITE_PATH: sqlitePath, BACKUP_DIR: backupDir };
    const restore = () => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/restore.ts', path], { env, encoding: 'utf8', timeout: 30_000 });
    // This test process stands for a running server.
    const unmark = markRunning(sqlitePath);
    const refused = restore();
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('Refused: Daiban is running');
    unmark();
    const done = restore();
    expect(done.stdout).toContain('Restored');
    expect(done.status).toBe(0);
    expect(readdirSync(home).some((f) => f.startsWith('daiban.db.before-restore-'))).toBe(true);
  });
});

describe('keeping backups', () => {
  it('removes the oldest beyond the count', async () => {
    const { home, sqlitePath, backupDir } = freshDeployment();
    const day = 86_400_000;
    for (let i = 0; i < 4; i++)
      await takeBackup({ sqlitePath, photosDir: join(home, 'photos'), backupDir, now: Date.UTC(2026, 11, 1) + i * day, reason: 'daily' });
    const pruned = pruneBackups(backupDir, 2);
    expect(pruned.map((p) => p.slice(-15))).toEqual(['20261201-000000', '20261202-000000']);
    expect(listBackups(backupDir).map((p) => p.slice(-15))).toEqual(['20261203-000000', '20261204-000000']);
  });
});

describe('the daily backup', () => {
  it('takes one and keeps the newest ones only', async () => {
    const { home, sqlitePath, backupDir } = freshDeployment();
    const day = 86_400_000;
    const runs = [];
    for (let i = 0; i < 3; i++)
      runs.push(await takeDailyBackup({ sqlitePath, photosDir: join(home, 'photos'), backupDir, keep: 2, now: Date.UTC(2026, 11, 1) + i * day }));
    expect(runs.map((r) => r.pruned)).toEqual([0, 0, 1]);
    expect(listBackups(backupDir)).toEqual(runs.slice(1).map((r) => r.path));
  });
});

describe('an upgrade', () => {
  /** A database one migration behind: the newest migration's record removed (and, when `undo`, its table dropped). */
  function oneBehind(undo: boolean): string {
    const path = join(mkdtempSync(join(dir, 'upgrade-')), 'daiban.db');
    const db = openDatabase(path);
    db.sqlite.prepare('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)').run();
    // Undoes the newest migration (0024 made material_returns and added ledger_entries.materials).
    if (undo) db.sqlite.exec('DROP TABLE material_returns; ALTER TABLE ledger_entries DROP COLUMN materials;');
    db.close();
    return path;
  }

  it('copies the database before applying new migrations', () => {
    const path = oneBehind(true);
    const backupDir = join(dir, 'upgrade-backups');
    openDatabase(path, { backupBeforeMigrationDir: backupDir }).close();
    const copies = readdirSync(backupDir).filter((f) => f.startsWith('before-migration-'));
    expect(copies).toHaveLength(1);
    expect(checkDatabaseCopy(join(backupDir, copies[0] ?? '')).errands).toBe(0);
  });

  it('leaves the database as it was when a migration fails, and says how to roll back', () => {
    // The newest migration creates a table that is already there: it fails.
    const path = oneBehind(false);
    const backupDir = join(dir, 'failed-upgrade-backups');
    const applied = () => {
      const db = new BetterSqlite3(path, { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const before = applied();
    expect(() => openDatabase(path, { backupBeforeMigrationDir: backupDir })).toThrow(
      /Upgrading the database failed .* it is unchanged.*before-migration-.*To roll back, run the previous version/,
    );
    expect(applied()).toBe(before);
    expect(existsSync(backupDir)).toBe(true);
  });
});
