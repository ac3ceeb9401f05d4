import { addDays, dayOfWeek, isLocalDate, yearOf, type LocalDate } from './local-date.ts';

/**
 * Working days (工作日) in the Chinese administrative sense: Monday to Friday, minus statutory
 * holidays, plus make-up workdays (调休上班, often a Saturday or Sunday), adjusted by local
 * overrides (a township centre closed for a flood, or opened on a Saturday).
 *
 * Pure: the schedule data comes in as parameters. A year without data is never silently treated
 * as "weekdays only": every answer says how sure it is (`coverage`) and names the years it had to
 * guess, so that callers can log it and mark deadlines as provisional.
 */

/** official: the State Council's notice is loaded. provisional: statutory days only, make-up days unknown. */
export type YearStatus = 'official' | 'provisional';
export type Coverage = YearStatus | 'none';

export interface YearSchedule {
  year: number;
  status: YearStatus;
  /** Where the data comes from, e.g. 国办发明电〔2025〕7号. */
  source: string;
  /** Non-working days that would otherwise be weekdays or weekends, with the holiday's name. */
  holidays: ReadonlyMap<LocalDate, string>;
  /** Make-up workdays (调休上班), usually weekend days, with the holiday they belong to. */
  workdays: ReadonlyMap<LocalDate, string>;
}

export interface CalendarOverride {
  date: LocalDate;
  /** closed: no work that day (local closure); open: a working day although normally not. */
  kind: 'closed' | 'open';
  reason: string;
}

export type DayReason = 'weekday' | 'weekend' | 'holiday' | 'make_up_workday' | 'override_closed' | 'override_open';

export interface DayInfo {
  date: LocalDate;
  workday: boolean;
  reason: DayReason;
  /** The holiday's or override's name or reason, when there is one. */
  label?: string;
  coverage: Coverage;
}

export interface WorkingDaysResult {
  date: LocalDate;
  /** Years touched whose data is provisional or missing: the answer may move. Empty when sure. */
  uncertainYears: number[];
}

export interface CountResult {
  count: number;
  uncertainYears: number[];
}

export interface WorkingDayCalendar {
  day(date: LocalDate): DayInfo;
  isWorkday(date: LocalDate): boolean;
  coverage(year: number): Coverage;
  /** The n-th working day strictly after `from` (n ≥ 1); n = 0 gives `from` itself if it is a working day, else the next one. */
  addWorkingDays(from: LocalDate, n: number): WorkingDaysResult;
  /** Working days d with from < d ≤ to; negative when `to` is before `from`. addWorkingDays(a, n) = b ⇔ count(a, b) = n for b a working day. */
  countWorkingDays(from: LocalDate, to: LocalDate): CountResult;
  /** The first working day on or after `date`. */
  nextWorkingDayOnOrAfter(date: LocalDate): WorkingDaysResult;
}

/** Guards against a runaway loop when data is absurd (e.g. every day closed). */
const MAX_SCAN_DAYS = 3660;

export function createWorkingDayCalendar(input: { years: readonly YearSchedule[]; overrides?: readonly CalendarOverride[] }): WorkingDayCalendar {
  const years = new Map<number, YearSchedule>();
  for (const y of input.years) years.set(y.year, y);
  const overrides = new Map<LocalDate, CalendarOverride>();
  for (const o of input.overrides ?? []) {
    if (!isLocalDate(o.date)) throw new RangeError(`override date is not YYYY-MM-DD: ${o.date}`);
    overrides.set(o.date, o);
  }

  const coverage = (year: number): Coverage => years.get(year)?.status ?? 'none';

  const day = (date: LocalDate): DayInfo => {
    const cov = coverage(yearOf(date));
    const override = overrides.get(date);
    if (override) {
      return override.kind === 'closed'
        ? { date, workday: false, reason: 'override_closed', label: override.reason, coverage: cov }
        : { date, workday: true, reason: 'override_open', label: override.reason, coverage: cov };
    }
    const schedule = years.get(yearOf(date));
    const makeUp = schedule?.workdays.get(date);
    if (makeUp !== undefined) return { date, workday: true, reason: 'make_up_workday', label: makeUp, coverage: cov };
    const holiday = schedule?.holidays.get(date);
    if (holiday !== undefined) return { date, workday: false, reason: 'holiday', label: holiday, coverage: cov };
    const dow = dayOfWeek(date);
    return dow === 0 || dow === 6 ? { date, workday: false, reason: 'weekend', coverage: cov } : { date, workday: true, reason: 'weekday', coverage: cov };
  };

  const isWorkday = (date: LocalDate) => day(date).workday;

  const noteYear = (uncertain: Set<number>, date: LocalDate) => {
    const y = yearOf(date);
    if (coverage(y) !== 'official') uncertain.add(y);
  };

  const scan = (from: LocalDate, n: number, includeStart: boolean): WorkingDaysResult => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
    const uncertain = new Set<number>();
    let date = from;
    let remaining = n;
    if (includeStart) {
      noteYear(uncertain, date);
      if (isWorkday(date)) return { date, uncertainYears: [...uncertain] };
      remaining = 1;
    }
    for (let i = 0; i < MAX_SCAN_DAYS; i++) {
      date = addDays(date, 1);
      noteYear(uncertain, date);
      if (isWorkday(date)) remaining--;
      if (remaining <= 0) return { date, uncertainYears: [...uncertain].sort() };
    }
    throw new RangeError(`no working day within ${MAX_SCAN_DAYS} days of ${from}`);
  };

  return {
    day,
    isWorkday,
    coverage,
    addWorkingDays: (from, n) => scan(from, n, n === 0),
    nextWorkingDayOnOrAfter: (date) => scan(date, 0, true),
    countWorkingDays(from, to) {
      if (!isLocalDate(from) || !isLocalDate(to)) throw new RangeError(`not calendar dates: ${from}, ${to}`);
      const sign = to >= from ? 1 : -1;
      const [lo, hi] = sign === 1 ? [from, to] : [to, from];
      const uncertain = new Set<number>();
      let count = 0;
      for (let date = addDays(lo, 1), i = 0; date <= hi; date = addDays(date, 1), i++) {
        if (i > MAX_SCAN_DAYS * 10) throw new RangeError('range too long');
        noteYear(uncertain, date);
        if (isWorkday(date)) count++;
      }
      return { count: sign * count, uncertainYears: [...uncertain].sort() };
    },
  };
}
