import { createCatalog, type Catalog } from '../catalog/catalog.ts';
import { createItemMatcher, type ItemMatcher } from '../catalog/item-matcher.ts';
import { CATALOG_VERSION_KEY, loadStoredCatalog } from '../db/catalog-repository.ts';
import type { Database } from '../db/open-database.ts';

/** The catalogue and its matcher in memory, rebuilt when any process edits the catalogue. */

export interface CatalogSnapshot {
  catalog: Catalog;
  matcher: ItemMatcher;
  version: string;
}

export interface CatalogCache {
  current(): CatalogSnapshot;
}

export function createCatalogCache(database: Database): CatalogCache {
  const versionStmt = database.sqlite.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  let cached: CatalogSnapshot | null = null;
  return {
    current() {
      const version = versionStmt.get(CATALOG_VERSION_KEY)?.value ?? '0';
      if (!cached || cached.version !== version) {
        const stored = loadStoredCatalog(database);
        cached = {
          catalog: createCatalog(stored.items, stored.categories, stored.versions, stored.review),
          matcher: createItemMatcher(stored.items, stored.matching),
          version: stored.version,
        };
      }
      return cached;
    },
  };
}
