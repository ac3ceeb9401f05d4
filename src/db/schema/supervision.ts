import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { errands } from './errands.ts';
import { people } from './people.ts';

/** Complaints and local calendar overrides. */

export const complaints = sqliteTable(
  'complaints',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    errandId: integer('errand_id').references(() => errands.id),
    type: text('type', { enum: ['shirking', 'added_obligation', 'overdue', 'extra_fee', 'other'] }).notNull(),
    text: text('text').notNull(),
    status: text('status', { enum: ['open', 'in_progress', 'resolved'] }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('complaints_status_idx').on(t.status)],
);

/** Local closures or extra working days; scope is 'county' or a township code. */
export const calendarOverrides = sqliteTable(
  'calendar_overrides',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    scope: text('scope').notNull(),
    date: text('date').notNull(),
    kind: text('kind', { enum: ['closed', 'open'] }).notNull(),
    reason: text('reason').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('calendar_overrides_uq').on(t.scope, t.date)],
);
