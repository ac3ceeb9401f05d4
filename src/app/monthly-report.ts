import { addDays, endOfShanghaiDay, shanghaiDate, type LocalDate } from '../calendar/local-date.ts';
import { villageStats, type VillageStats } from '../db/listing-queries.ts';
import { reportsFor, upsertReports, type StoredReport } from '../db/report-repository.ts';
import type { ReportFigures } from '../db/schema.ts';
import type { AppContext } from './app-context.ts';

/**
 * Monthly figures for publication (公开): per village, per township and for the county — errands
 * filed, completed, on-time rate, overdue, average working days, satisfaction, complaints. The
 * village figures are the same as the 统计 command's (one query, `villageStats`); townships and the
 * county add up their villages' counts and take the rates from the sums. Computing a month again
 * replaces its rows.
 */

export type ReportEnv = Pick<AppContext, 'database' | 'directory' | 'calendars'>;

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH_RE.test(value);
}

/** The first and last calendar day of a month 'YYYY-MM'. */
export function monthRange(month: string): { from: LocalDate; to: LocalDate } {
  if (!isMonth(month)) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  const from = `${month}-01`;
  const to = addDays(`${nextMonth(month)}-01`, -1);
  return { from, to };
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The month before the one `now` falls in (Asia/Shanghai). */
export function previousMonth(now: number): string {
  return addDays(`${shanghaiDate(now).slice(0, 7)}-01`, -1).slice(0, 7);
}

function figuresOf(counts: Omit<ReportFigures, 'onTimeRate' | 'averageWorkingDays' | 'satisfaction'>): ReportFigures {
  const closed = counts.clocksMet + counts.clocksBreached;
  return {
    ...counts,
    onTimeRate: closed ? counts.clocksMet / closed : null,
    averageWorkingDays: counts.completed ? counts.workingDaysTotal / counts.completed : null,
    satisfaction: counts.ratings ? counts.goodRatings / counts.ratings : null,
  };
}

function sum(rows: readonly VillageStats[]): ReportFigures {
  const total = (pick: (r: VillageStats) => number) => rows.reduce((acc, r) => acc + pick(r), 0);
  return figuresOf({
    errands: total((r) => r.errands),
    completed: total((r) => r.completed),
    clocksMet: total((r) => r.clocksMet),
    clocksBreached: total((r) => r.clocksBreached),
    overdue: total((r) => r.overdue),
    workingDaysTotal: total((r) => r.workingDaysTotal),
    ratings: total((r) => r.ratings),
    goodRatings: total((r) => r.goodRatings),
    complaints: total((r) => r.complaints),
  });
}

/** Computes a month's figures for every village, township and the county, and stores them (upsert). */
export function computeMonthlyReport(env: ReportEnv, month: string, now: number): StoredReport[] {
  const { from, to } = monthRange(month);
  const calendar = env.calendars.forTownship(null);
  const { directory } = env;
  const stats = villageStats(env.database, {
    villages: directory.villages.map((v) => v.code),
    from,
    to,
    // "Overdue" as at the end of the month (or now, while the month runs).
    now: Math.min(now, endOfShanghaiDay(to)),
    workingDays: (a, b) => calendar.countWorkingDays(a, b).count,
  });
  const row = (unitKind: StoredReport['unitKind'], unitCode: string, figures: ReportFigures): StoredReport => ({
    period: month,
    unitKind,
    unitCode,
    figures,
    computedAt: now,
  });
  const townships = [...new Set(stats.map((s) => directory.village(s.villageCode)?.townshipCode ?? ''))].filter(Boolean).sort();
  const rows = [
    row('county', 'county', sum(stats)),
    ...townships.map((code) => row('township', code, sum(stats.filter((s) => directory.village(s.villageCode)?.townshipCode === code)))),
    ...stats.map((s) => row('village', s.villageCode, sum([s]))),
  ];
  env.database.write(() => upsertReports(env.database, rows));
  return rows;
}

/** The stored figures of a month, with the names of the units. */
export function storedMonthlyReport(env: Pick<ReportEnv, 'database' | 'directory'>, month: string) {
  const { directory } = env;
  const nameOf = (r: StoredReport) =>
    r.unitKind === 'county'
      ? directory.county.name
      : r.unitKind === 'township'
        ? (directory.township(r.unitCode)?.name ?? r.unitCode)
        : (directory.village(r.unitCode)?.name ?? r.unitCode);
  return reportsFor(env.database, month).map((r) => ({ ...r, name: nameOf(r) }));
}
