/**
 * Calendar dates in China Standard Time (Asia/Shanghai), whatever the server's time zone.
 * China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact for every
 * date this product handles. Dates are plain `YYYY-MM-DD` strings: comparable, storable, readable.
 */

export type LocalDate = string;

const OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

function assertLocalDate(value: string): void {
  if (!isLocalDate(value)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${value}`);
}

/** The Shanghai calendar date of an instant. */
export function shanghaiDate(instantMs: number): LocalDate {
  return new Date(instantMs + OFFSET_MS).toISOString().slice(0, 10);
}

/** Minutes since Shanghai midnight of an instant (0–1439). */
export function shanghaiMinuteOfDay(instantMs: number): number {
  const d = new Date(instantMs + OFFSET_MS);
  return d.getUTCHours() * 60 + d.getUTCMinutes();
}

/** The instant at which a Shanghai calendar date starts (00:00 CST). */
export function startOfShanghaiDay(date: LocalDate): number {
  assertLocalDate(date);
  return Date.parse(`${date}T00:00:00.000Z`) - OFFSET_MS;
}

/** The last millisecond of a Shanghai calendar date (23:59:59.999 CST): when a deadline on that day falls due. */
export function endOfShanghaiDay(date: LocalDate): number {
  return startOfShanghaiDay(date) + DAY_MS - 1;
}

/** The instant of a Shanghai wall-clock time on a date, e.g. 08:30 → minuteOfDay 510. */
export function shanghaiInstant(date: LocalDate, minuteOfDay: number): number {
  return startOfShanghaiDay(date) + minuteOfDay * 60_000;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  assertLocalDate(date);
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  assertLocalDate(date);
  return new Date(`${date}T00:00:00.000Z`).getUTCDay();
}

export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  assertLocalDate(from);
  assertLocalDate(to);
  return Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / DAY_MS);
}

/** "12月3日 周四" style, for messages to residents. */
export function formatChineseDate(date: LocalDate): string {
  const weekdays = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
  const [, m, d] = date.split('-');
  return `${Number(m)}月${Number(d)}日 ${weekdays[dayOfWeek(date)]}`;
}

/** "2026-12-01 09:05" in Shanghai time. */
export function formatShanghaiDateTime(instantMs: number): string {
  return new Date(instantMs + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}
