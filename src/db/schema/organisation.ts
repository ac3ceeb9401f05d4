import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The county, its townships (each with its service centre) and villages. */

/** The one county of a deployment (a single row, id 1). */
export const county = sqliteTable('county', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  hotline: text('hotline').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const townships = sqliteTable('townships', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  centreName: text('centre_name').notNull(),
  centrePhone: text('centre_phone').notNull(),
  centreAddress: text('centre_address').notNull(),
  centreHours: text('centre_hours').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const villages = sqliteTable(
  'villages',
  {
    code: text('code').primaryKey(),
    townshipCode: text('township_code')
      .notNull()
      .references(() => townships.code),
    name: text('name').notNull(),
    population: integer('population'),
    distanceKm: real('distance_km'),
    remote: integer('remote', { mode: 'boolean' }).notNull().default(false),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('villages_township_idx').on(t.townshipCode)],
);
