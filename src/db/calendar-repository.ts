import { asc, eq } from 'drizzle-orm';
import type { CalendarOverride } from '../calendar/working-day-calendar.ts';
import type { Database } from './open-database.ts';
import { bumpSetting } from './roster-repository.ts';
import { calendarOverrides } from './schema.ts';

/** Local closures and extra working days, county-wide ('county') or for one township. */

export const CALENDAR_VERSION_KEY = 'calendar_version';
export const COUNTY_SCOPE = 'county';

export interface StoredOverride extends CalendarOverride {
  scope: string;
}

export function listOverrides(database: Database): StoredOverride[] {
  return database.db
    .select()
    .from(calendarOverrides)
    .orderBy(asc(calendarOverrides.date))
    .all()
    .map((r) => ({ scope: r.scope, date: r.date, kind: r.kind, reason: r.reason }));
}

/** Replaces the overrides of one scope. Runs its own transaction. */
export function replaceOverrides(database: Database, scope: string, overrides: readonly CalendarOverride[], now: number): void {
  database.write(() => {
    database.db.delete(calendarOverrides).where(eq(calendarOverrides.scope, scope)).run();
    for (const o of overrides) {
      database.db.insert(calendarOverrides).values({ scope, date: o.date, kind: o.kind, reason: o.reason, createdAt: now }).run();
    }
    bumpSetting(database, CALENDAR_VERSION_KEY);
  });
}
