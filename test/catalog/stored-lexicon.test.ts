import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCatalogCache } from '../../src/app/catalog-cache.ts';
import { readCatalogFile } from '../../src/catalog/catalog-file.ts';
import { loadStoredCatalog, seedCatalogIfEmpty } from '../../src/db/catalog-repository.ts';
import { openDatabase } from '../../src/db/open-database.ts';

const dir = mkdtempSync(join(tmpdir(), 'daiban-lexicon-'));
const file = readCatalogFile('data/catalog.yaml');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the matcher’s lexicon in the database', () => {
  it('is stored whole with the catalogue, so the running matcher reads concepts', () => {
    const database = openDatabase(join(dir, 'seeded.db'));
    try {
      expect(seedCatalogIfEmpty(database, file, 1)).toBe(true);
      const stored = loadStoredCatalog(database);
      expect(stored.matching).toEqual(file.matching);
      expect(Object.keys(stored.matching.concepts)).toContain('去世');
      const matcher = createCatalogCache(database).current().matcher;
      expect(matcher.match('婆婆上个月走了，户口本上还有她')[0]?.id).toBe('death-deregistration');
    } finally {
      database.close();
    }
  });

  it('still loads a database seeded when the lexicon was a list of filler words', () => {
    const database = openDatabase(join(dir, 'older.db'));
    try {
      seedCatalogIfEmpty(database, file, 1);
      database.sqlite.prepare("UPDATE settings SET value = ? WHERE key = 'matcher_lexicon'").run(JSON.stringify(['啥子', '咋个']));
      const stored = loadStoredCatalog(database);
      expect(stored.matching).toEqual({ fillerWords: ['啥子', '咋个'], concepts: {} });
      expect(createCatalogCache(database).current().matcher.match('身份证掉了')[0]?.id).toBe('resident-id-card');
    } finally {
      database.close();
    }
  });

  it('refuses a stored lexicon of the wrong shape with a clear error rather than matching without it', () => {
    const database = openDatabase(join(dir, 'broken.db'));
    try {
      seedCatalogIfEmpty(database, file, 1);
      database.sqlite.prepare("UPDATE settings SET value = ? WHERE key = 'matcher_lexicon'").run(JSON.stringify({ fillerWords: 'nope' }));
      expect(() => loadStoredCatalog(database)).toThrow(/fillerWords/);
    } finally {
      database.close();
    }
  });
});
