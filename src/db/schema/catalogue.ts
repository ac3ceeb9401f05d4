import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The catalogue of errand items (服务指南), stored whole as validated JSON. */

export const catalogItems = sqliteTable('catalog_items', {
  id: text('id').primaryKey(),
  category: text('category').notNull(),
  name: text('name').notNull(),
  /** The whole service guide (CatalogItem) as validated JSON. */
  guide: text('guide', { mode: 'json' }).notNull(),
  version: integer('version').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  updatedAt: integer('updated_at').notNull(),
});
