import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from './open-database.ts';
import { monthlyReports, type ReportFigures } from './schema.ts';

/** Stored monthly figures: one row per (month, unit); computing a month again replaces its rows. */

export type ReportUnitKind = 'village' | 'township' | 'county';

export interface StoredReport {
  period: string;
  unitKind: ReportUnitKind;
  unitCode: string;
  figures: ReportFigures;
  computedAt: number;
}

/** Upserts the rows (call inside a write transaction). */
export function upsertReports(database: Database, rows: readonly StoredReport[]): void {
  for (const row of rows) {
    database.db
      .insert(monthlyReports)
      .values(row)
      .onConflictDoUpdate({
        target: [monthlyReports.period, monthlyReports.unitKind, monthlyReports.unitCode],
        set: { figures: sql`excluded.figures`, computedAt: sql`excluded.computed_at` },
      })
      .run();
  }
}

const KIND_ORDER = { county: 0, township: 1, village: 2 } as const;

/** The stored rows of a month: the county first, then townships, then villages (by code). */
export function reportsFor(database: Database, period: string): StoredReport[] {
  const rows = database.db.select().from(monthlyReports).where(eq(monthlyReports.period, period)).orderBy(asc(monthlyReports.unitCode)).all();
  return rows.sort((a, b) => KIND_ORDER[a.unitKind] - KIND_ORDER[b.unitKind] || a.unitCode.localeCompare(b.unitCode));
}
