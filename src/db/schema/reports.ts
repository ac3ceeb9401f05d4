import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Monthly figures per village, township and the county, computed after each month for publication. */

/** The figures of one unit in one month (stored as JSON; rates are null when there is nothing to rate). */
export interface ReportFigures {
  /** Errands filed in the month. */
  errands: number;
  /** Errands completed (办结 or handed back) in the month. */
  completed: number;
  /** Clocks closed in the month: met in time, or late. */
  clocksMet: number;
  clocksBreached: number;
  onTimeRate: number | null;
  /** Errands with a running clock past due at the end of the month (or when computed, if earlier). */
  overdue: number;
  /** Working days from filing to completion, summed and averaged over the completed errands. */
  workingDaysTotal: number;
  averageWorkingDays: number | null;
  /** First ratings in the month, and those 非常满意, 满意 or 基本满意 (levels 5–3). */
  ratings: number;
  goodRatings: number;
  satisfaction: number | null;
  complaints: number;
}

export const monthlyReports = sqliteTable(
  'monthly_reports',
  {
    /** 'YYYY-MM' (Asia/Shanghai). */
    period: text('period').notNull(),
    unitKind: text('unit_kind', { enum: ['village', 'township', 'county'] }).notNull(),
    /** A village or township code; 'county' for the county. */
    unitCode: text('unit_code').notNull(),
    figures: text('figures', { mode: 'json' }).$type<ReportFigures>().notNull(),
    computedAt: integer('computed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.period, t.unitKind, t.unitCode] })],
);
