import { count, eq, sql } from 'drizzle-orm';
import {
  catalogFileSchema,
  catalogItemSchema,
  categorySchema,
  defaultReview,
  reviewSchema,
  type CatalogFile,
  type CatalogItem,
  type ReviewBodies,
} from '../catalog/catalog-schema.ts';
import { z } from 'zod';
import type { Database } from './open-database.ts';
import { bumpSetting, readSetting } from './roster-repository.ts';
import { catalogItems, settings } from './schema.ts';

/**
 * The catalogue in the database: loaded from the shipped data file on first start, editable
 * afterwards (each edit bumps the item's version, which errands and one-time notices record).
 */

export const CATALOG_VERSION_KEY = 'catalog_version';
const CATEGORIES_KEY = 'catalog_categories';
const LEXICON_KEY = 'matcher_lexicon';
const REVIEW_KEY = 'catalog_review';

export interface StoredCatalog {
  items: CatalogItem[];
  categories: z.infer<typeof categorySchema>[];
  /** The matcher's lexicon: filler words and concepts (words read as one). */
  matching: CatalogFile['matching'];
  /** The county's 行政复议 body and court (the data file's `review`). */
  review: ReviewBodies;
  versions: Map<string, number>;
  version: string;
}

/** Seeds the catalogue from the data file when the table is empty. Returns whether it did. */
export function seedCatalogIfEmpty(database: Database, file: CatalogFile, now: number): boolean {
  return database.write(() => {
    const existing = database.db.select({ n: count() }).from(catalogItems).get()?.n ?? 0;
    if (existing > 0) return false;
    for (const item of file.items) {
      database.db
        .insert(catalogItems)
        .values({ id: item.id, category: item.category, name: item.name, guide: item, version: 1, enabled: true, updatedAt: now })
        .run();
    }
    const put = (key: string, value: unknown) =>
      database.db
        .insert(settings)
        .values({ key, value: JSON.stringify(value) })
        .onConflictDoUpdate({ target: settings.key, set: { value: JSON.stringify(value) } })
        .run();
    put(CATEGORIES_KEY, file.categories);
    put(LEXICON_KEY, file.matching);
    put(REVIEW_KEY, file.review);
    bumpSetting(database, CATALOG_VERSION_KEY);
    return true;
  });
}

export function loadStoredCatalog(database: Database): StoredCatalog {
  const rows = database.db
    .select()
    .from(catalogItems)
    .where(eq(catalogItems.enabled, true))
    .orderBy(sql`rowid`)
    .all();
  const items = rows.map((r) => catalogItemSchema.parse(r.guide));
  const categories = z.array(categorySchema).parse(JSON.parse(readSetting(database, CATEGORIES_KEY) ?? '[]'));
  // A database seeded before concepts were added holds the filler words alone.
  const lexicon: unknown = JSON.parse(readSetting(database, LEXICON_KEY) ?? '[]');
  const matching = catalogFileSchema.shape.matching.parse(Array.isArray(lexicon) ? { fillerWords: lexicon } : lexicon);
  // A database seeded before the file named the review bodies uses the county default.
  const review = reviewSchema.parse(JSON.parse(readSetting(database, REVIEW_KEY) ?? JSON.stringify(defaultReview)));
  return {
    items,
    categories,
    matching,
    review,
    versions: new Map(rows.map((r) => [r.id, r.version])),
    version: readSetting(database, CATALOG_VERSION_KEY) ?? '0',
  };
}

/** Replaces one item's guide (or adds it), bumping its version. Runs its own transaction. */
export function upsertCatalogItem(database: Database, item: CatalogItem, now: number): { version: number; created: boolean } {
  return database.write(() => {
    const existing = database.db.select({ version: catalogItems.version }).from(catalogItems).where(eq(catalogItems.id, item.id)).get();
    const version = (existing?.version ?? 0) + 1;
    const row = { category: item.category, name: item.name, guide: item, version, enabled: true, updatedAt: now };
    database.db
      .insert(catalogItems)
      .values({ id: item.id, ...row })
      .onConflictDoUpdate({ target: catalogItems.id, set: row })
      .run();
    bumpSetting(database, CATALOG_VERSION_KEY);
    return { version, created: !existing };
  });
}
