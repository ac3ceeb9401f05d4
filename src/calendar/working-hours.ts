import { addDays, shanghaiDate, shanghaiInstant, shanghaiMinuteOfDay, type LocalDate } from './local-date.ts';
import type { WorkingDayCalendar } from './working-day-calendar.ts';

/**
 * Office hours on working days (Asia/Shanghai): when reminders and escalations may go out. A
 * moment outside them moves to the next opening — Saturday night to Monday 08:30, the National
 * Day week to the first working day after it, but a make-up Saturday is a working day. Pure.
 */

export interface WorkingHours {
  /** Minutes after midnight, e.g. 510 for 08:30. */
  openMinute: number;
  closeMinute: number;
}

/** Reads "08:30-17:30"; null when it is not a valid range. */
export function parseWorkingHours(text: string): WorkingHours | null {
  const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [open, close] = [Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4])];
  if (Number(m[2]) > 59 || Number(m[4]) > 59 || close > 24 * 60 || open >= close) return null;
  return { openMinute: open, closeMinute: close };
}

/** The opening of office hours on a date (which the caller knows to be a working day). */
export function openingOn(date: LocalDate, hours: WorkingHours): number {
  return shanghaiInstant(date, hours.openMinute);
}

/** The first moment at or after `instant` that lies within office hours of a working day. */
export function nextWorkingMoment(instant: number, calendar: WorkingDayCalendar, hours: WorkingHours): number {
  const date = shanghaiDate(instant);
  if (calendar.isWorkday(date)) {
    const minute = shanghaiMinuteOfDay(instant);
    if (minute < hours.openMinute) return openingOn(date, hours);
    if (minute < hours.closeMinute) return instant;
  }
  return openingOn(calendar.nextWorkingDayOnOrAfter(addDays(date, 1)).date, hours);
}

/** The n-th working day before `date` (n ≥ 1); n = 0 gives `date` itself. */
export function workingDaysBefore(date: LocalDate, n: number, calendar: WorkingDayCalendar): LocalDate {
  let day = date;
  for (let left = n, guard = 0; left > 0 && guard < 3660; guard++) {
    day = addDays(day, -1);
    if (calendar.isWorkday(day)) left--;
  }
  return day;
}
