import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { villageStats } from '../../src/db/listing-queries.ts';
import { migrationsFolder, openDatabase } from '../../src/db/open-database.ts';

/**
 * Migration 0022 numbers 好差评 like stars: `ratings.score` (1 非常满意 … 5 非常不满意) becomes
 * `ratings.level` (5 非常满意 … 1 非常不满意), each old row converted (level = 6 − score). Tested on a
 * database made by the migrations before it, holding ratings in the old order.
 */

const dir = mkdtempSync(join(tmpdir(), 'daiban-levels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AT = Date.parse('2026-12-01T10:00:00+08:00');

/** A database at the migration before 0022, as the previous release left it. */
function databaseBeforeLevels(path: string): void {
  const folder = join(dir, 'migrations-before');
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const upTo = journal.entries.findIndex((e) => e.tag === '0022_star_rating_levels');
  expect(upTo).toBeGreaterThan(0);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
  const sqlite = new BetterSqlite3(path);
  migrate(drizzle(sqlite), { migrationsFolder: folder });
  sqlite.pragma('foreign_keys = ON');
  sqlite
    .prepare(
      "INSERT INTO townships (code, name, centre_name, centre_phone, centre_address, centre_hours, updated_at) VALUES ('qs', '青山镇', '中心', '1', '路', '9-5', ?)",
    )
    .run(AT);
  sqlite.prepare("INSERT INTO villages (code, township_code, name, updated_at) VALUES ('qs-lw', 'qs', '柳湾社区', ?)").run(AT);
  sqlite
    .prepare(
      "INSERT INTO catalog_items (id, category, name, guide, version, updated_at) VALUES ('homestead-building-application', '住建', '宅基地', '{}', 1, ?)",
    )
    .run(AT);
  sqlite.prepare("INSERT INTO people (id, name, tags, source, created_at, updated_at) VALUES ('liu', '刘芳', '[]', 'roster', ?, ?)").run(AT, AT);
  const errand = sqlite.prepare(
    `INSERT INTO errands (id, receipt_no, direction, status, item_id, item_version, village_code, township_code, requester_id, beneficiary, channel, version, created_at, updated_at)
     VALUES (?, ?, 'village_to_centre', 'closed', 'homestead-building-application', 1, 'qs-lw', 'qs', 'liu', '{"kind":"self"}', 'simulator', 1, ?, ?)`,
  );
  const rating = sqlite.prepare("INSERT INTO ratings (errand_id, person_id, round, score, reason_kind, reason, created_at) VALUES (?, 'liu', ?, ?, ?, ?, ?)");
  // Old order: 1 非常满意, 2 满意, 4 不满意, 5 非常不满意.
  errand.run(1, 'DB261201001', AT, AT);
  rating.run(1, 'first', 1, null, null, AT);
  errand.run(2, 'DB261201002', AT, AT);
  rating.run(2, 'first', 1, null, null, AT + 1);
  errand.run(3, 'DB261201003', AT, AT);
  rating.run(3, 'first', 4, 'slow', '太慢了', AT + 2);
  rating.run(3, 'rectification', 2, null, null, AT + 3);
  errand.run(4, 'DB261201004', AT, AT);
  rating.run(4, 'first', 5, 'attitude', null, AT + 4);
  sqlite.close();
}

describe('migration 0022: ratings numbered like stars', () => {
  it('renames score to level and turns every old rating round (level = 6 − score)', () => {
    const path = join(dir, 'daiban.db');
    databaseBeforeLevels(path);
    const database = openDatabase(path);
    try {
      const columns = (database.sqlite.prepare('PRAGMA table_info(ratings)').all() as { name: string }[]).map((c) => c.name);
      expect(columns).toContain('level');
      expect(columns).not.toContain('score');
      expect(database.sqlite.prepare('SELECT errand_id AS errand, round, level, reason_kind AS reasonKind FROM ratings ORDER BY id').all()).toEqual([
        { errand: 1, round: 'first', level: 5, reasonKind: null },
        { errand: 2, round: 'first', level: 5, reasonKind: null },
        { errand: 3, round: 'first', level: 2, reasonKind: 'slow' },
        { errand: 3, round: 'rectification', level: 4, reasonKind: null },
        { errand: 4, round: 'first', level: 1, reasonKind: 'attitude' },
      ]);
      // Satisfaction keeps its meaning: 非常满意, 满意 and 基本满意 among the first ratings — 2 of 4.
      const [stats] = villageStats(database, { villages: ['qs-lw'], from: '2026-12-01', to: '2026-12-31', now: AT, workingDays: () => 0 });
      expect(stats).toMatchObject({ ratings: 4, goodRatings: 2, satisfaction: 0.5 });
    } finally {
      database.close();
    }
  });

  it('converts nothing twice: opening the database again leaves the levels as they are', () => {
    const path = join(dir, 'daiban.db');
    const levels = () => {
      const database = openDatabase(path);
      try {
        return database.sqlite.prepare('SELECT level FROM ratings ORDER BY id').all();
      } finally {
        database.close();
      }
    };
    const once = levels();
    expect(levels()).toEqual(once);
    expect(once).toEqual([{ level: 5 }, { level: 5 }, { level: 2 }, { level: 4 }, { level: 1 }]);
  });
});
