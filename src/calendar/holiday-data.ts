import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { addDays, isLocalDate, yearOf, type LocalDate } from './local-date.ts';
import type { YearSchedule } from './working-day-calendar.ts';

/**
 * Loads the holiday schedules: the bundled `chinese-days` data (2004–2026, official notices) and the
 * repository's `data/calendar/<year>.yaml` files for the years the package lacks. A repository file
 * for a year wins over the bundled data, so a mid-year change can be loaded without a release.
 */

const localDate = z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD');
const entry = z.union([
  z.strictObject({ date: localDate, name: z.string().min(1) }),
  z.strictObject({ from: localDate, to: localDate, name: z.string().min(1) }),
]);

export const yearFileSchema = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  status: z.enum(['official', 'provisional']),
  source: z.string().min(1),
  holidays: z.array(entry),
  workdays: z.array(entry).default([]),
});

function expand(entries: z.infer<typeof entry>[], year: number, file: string): Map<LocalDate, string> {
  const out = new Map<LocalDate, string>();
  for (const e of entries) {
    const [from, to] = 'date' in e ? [e.date, e.date] : [e.from, e.to];
    if (to < from) throw new Error(`${file}: ${from}..${to} ends before it starts`);
    for (let d = from; d <= to; d = addDays(d, 1)) {
      if (yearOf(d) !== year) throw new Error(`${file}: ${d} is not in ${year}`);
      out.set(d, e.name);
    }
  }
  return out;
}

export function parseYearFile(text: string, file: string): YearSchedule {
  const parsed = yearFileSchema.safeParse(parse(text));
  if (!parsed.success) {
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const y = parsed.data;
  const holidays = expand(y.holidays, y.year, file);
  const workdays = expand(y.workdays, y.year, file);
  for (const d of workdays.keys()) {
    if (holidays.has(d)) throw new Error(`${file}: ${d} is both a holiday and a make-up workday`);
  }
  return { year: y.year, status: y.status, source: y.source, holidays, workdays };
}

interface BundledJson {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** The official schedules bundled with `chinese-days` (values look like "Spring Festival,春节,4"). */
export function loadBundledSchedules(): YearSchedule[] {
  const require = createRequire(import.meta.url);
  const file = require.resolve('chinese-days/dist/chinese-days.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as BundledJson;
  const byYear = new Map<number, YearSchedule & { holidays: Map<LocalDate, string>; workdays: Map<LocalDate, string> }>();
  const yearEntry = (date: string) => {
    const year = yearOf(date);
    let s = byYear.get(year);
    if (!s) {
      s = { year, status: 'official', source: `chinese-days ${String(year)}`, holidays: new Map(), workdays: new Map() };
      byYear.set(year, s);
    }
    return s;
  };
  const label = (v: string) => v.split(',')[1] ?? v;
  for (const [date, v] of Object.entries(json.holidays)) yearEntry(date).holidays.set(date, label(v));
  for (const [date, v] of Object.entries(json.workdays)) yearEntry(date).workdays.set(date, label(v));
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

/** Bundled years, then the repository's year files (which replace a bundled year of the same number). */
export function loadHolidaySchedules(calendarDir: string): YearSchedule[] {
  const years = new Map<number, YearSchedule>();
  for (const y of loadBundledSchedules()) years.set(y.year, y);
  if (existsSync(calendarDir)) {
    for (const name of readdirSync(calendarDir)
      .filter((n) => /^\d{4}\.ya?ml$/.test(n))
      .sort()) {
      const file = join(calendarDir, name);
      const schedule = parseYearFile(readFileSync(file, 'utf8'), file);
      if (String(schedule.year) !== name.slice(0, 4)) throw new Error(`${file}: holds year ${schedule.year}`);
      years.set(schedule.year, schedule);
    }
  }
  return [...years.values()].sort((a, b) => a.year - b.year);
}
