import { createWorkingDayCalendar, type WorkingDayCalendar, type YearSchedule } from '../calendar/working-day-calendar.ts';
import { CALENDAR_VERSION_KEY, COUNTY_SCOPE, listOverrides, type StoredOverride } from '../db/calendar-repository.ts';
import type { Database } from '../db/open-database.ts';
import type { Logger } from './ports.ts';

/**
 * Working-day calendars per township: the holiday schedules plus the county's overrides plus the
 * township's own. Rebuilt when an admin changes overrides (in any process). Each year without
 * official data is logged once, loudly.
 */

export interface CalendarBook {
  forTownship(code: string | null): WorkingDayCalendar;
  /** Logs (once per year) that deadlines crossing these years are provisional. */
  noteUncertainYears(years: readonly number[]): void;
}

export function createCalendarBook(database: Database, schedules: readonly YearSchedule[], logger: Logger): CalendarBook {
  const versionStmt = database.sqlite.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  let version: string | null = null;
  let overrides: StoredOverride[] = [];
  const calendars = new Map<string, WorkingDayCalendar>();
  const warned = new Set<number>();
  const statusOf = new Map(schedules.map((s) => [s.year, s]));

  const refresh = () => {
    const now = versionStmt.get(CALENDAR_VERSION_KEY)?.value ?? '0';
    if (now === version) return;
    version = now;
    overrides = listOverrides(database);
    calendars.clear();
  };

  return {
    forTownship(code) {
      refresh();
      const key = code ?? COUNTY_SCOPE;
      let calendar = calendars.get(key);
      if (!calendar) {
        const scoped = overrides.filter((o) => o.scope === COUNTY_SCOPE || o.scope === code);
        // A township's own override wins over the county's for the same date.
        scoped.sort((a, b) => (a.scope === COUNTY_SCOPE ? 0 : 1) - (b.scope === COUNTY_SCOPE ? 0 : 1));
        calendar = createWorkingDayCalendar({ years: schedules, overrides: scoped });
        calendars.set(key, calendar);
      }
      return calendar;
    },
    noteUncertainYears(years) {
      for (const year of years) {
        if (warned.has(year)) continue;
        warned.add(year);
        const schedule = statusOf.get(year);
        logger.warn(
          { year, status: schedule?.status ?? 'none', source: schedule?.source ?? null },
          schedule
            ? `calendar ${year} is provisional (make-up workdays not yet published): deadlines in ${year} are marked provisional`
            : `calendar has no holiday data for ${year}: counting Monday–Friday only and marking deadlines provisional; add data/calendar/${year}.yaml`,
        );
      }
    },
  };
}
