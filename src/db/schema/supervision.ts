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
    /** The supervisor's time limit for handling it (Shanghai date, end of day). */
    dueDate: text('due_date'),
    dueAt: integer('due_at'),
  },
  (t) => [index('complaints_status_idx').on(t.status), index('complaints_created_idx').on(t.createdAt)],
);

/** 好差评: a resident's rating of an errand (or of its rectification). Agents never see who rated. */
export const ratings = sqliteTable(
  'ratings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    errandId: integer('errand_id')
      .notNull()
      .references(() => errands.id),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    round: text('round', { enum: ['first', 'rectification'] }).notNull(),
    /**
     * 好差评 numbered like stars: 5 非常满意 · 4 满意 · 3 基本满意 · 2 不满意 · 1 非常不满意. (Until migration
     * 0022 this column was `score`, in the opposite order; renaming it keeps the two meanings apart.)
     */
    level: integer('level').notNull(),
    reasonKind: text('reason_kind', { enum: ['work_error', 'slow', 'attitude', 'fee', 'other'] }),
    reason: text('reason'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('ratings_errand_idx').on(t.errandId), index('ratings_created_idx').on(t.createdAt)],
);

/** A bad review opens a rectification case (差评整改) for the supervisor, with its own deadline. */
export const rectificationCases = sqliteTable(
  'rectification_cases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    errandId: integer('errand_id')
      .notNull()
      .references(() => errands.id),
    ratingId: integer('rating_id')
      .notNull()
      .references(() => ratings.id),
    status: text('status', { enum: ['open', 'rectified', 'closed'] }).notNull(),
    dueDate: text('due_date').notNull(),
    dueAt: integer('due_at').notNull(),
    note: text('note'),
    resolvedBy: text('resolved_by').references(() => people.id),
    resolvedAt: integer('resolved_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('rectification_cases_errand_idx').on(t.errandId, t.status)],
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
