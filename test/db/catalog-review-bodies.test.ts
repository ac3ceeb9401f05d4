import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCatalogFile } from '../../src/catalog/catalog-file.ts';
import { createCatalog } from '../../src/catalog/catalog.ts';
import { loadStoredCatalog, seedCatalogIfEmpty } from '../../src/db/catalog-repository.ts';
import { openDatabase } from '../../src/db/open-database.ts';

/** The catalogue file's review bodies are stored with the catalogue; a database seeded before them gets the county default. */

const dir = mkdtempSync(join(tmpdir(), 'daiban-review-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = readCatalogFile('data/catalog.yaml');

describe('review bodies in the stored catalogue', () => {
  it('seeds them from the file and names the item department’s own body first', () => {
    const database = openDatabase(join(dir, 'seeded.db'));
    try {
      seedCatalogIfEmpty(database, { ...file, review: { body: '示范县人民政府', court: '示范县人民法院' } }, 0);
      const stored = loadStoredCatalog(database);
      expect(stored.review).toEqual({ body: '示范县人民政府', court: '示范县人民法院' });
      const catalog = createCatalog(stored.items, stored.categories, stored.versions, stored.review);
      const allowance = catalog.get('old-age-allowance')!;
      expect(catalog.reviewOf(allowance)).toEqual({ body: '示范县人民政府', court: '示范县人民法院' });
      expect(catalog.reviewOf({ ...allowance, department: { ...allowance.department, reviewBody: '市民政局' } })).toEqual({
        body: '市民政局',
        court: '示范县人民法院',
      });
      expect(catalog.reviewOf(catalog.get('parcel-collection-delivery')!)).toBeNull();
    } finally {
      database.close();
    }
  });

  it('falls back to 县人民政府 / 县人民法院 when the stored catalogue predates them', () => {
    const database = openDatabase(join(dir, 'older.db'));
    try {
      seedCatalogIfEmpty(database, file, 0);
      database.sqlite.prepare("DELETE FROM settings WHERE key = 'catalog_review'").run();
      expect(loadStoredCatalog(database).review).toEqual({ body: '县人民政府', court: '县人民法院' });
    } finally {
      database.close();
    }
  });
});
