import { addDays, isLocalDate, type LocalDate } from '../../calendar/local-date.ts';
import type { WorkingDayCalendar } from '../../calendar/working-day-calendar.ts';
import type { StartDue } from '../../commands/command-grammar.ts';

/**
 * The completion deadline the centre gives on the spot (受理): a date, a number of working days, or
 * the item's promised days. A date must be a working day in the future.
 */

export const MAX_COMPLETION_DAYS = 120;
/** A date without a year this many days back or less is read as in the past, not as next year. */
const RECENT_PAST_DAYS = 60;

export type DueResolution =
  | { ok: true; date: LocalDate; workingDays: number }
  | { ok: false; problem: 'due_in_past' | 'due_not_workday' | 'due_too_far' | 'malformed_date'; vars: Record<string, unknown> };

export function resolveDue(due: StartDue, input: { today: LocalDate; calendar: WorkingDayCalendar; promisedDays: number }): DueResolution {
  const { today, calendar } = input;
  if (due.kind === 'default' || due.kind === 'days') {
    const workingDays = due.kind === 'days' ? due.days : input.promisedDays;
    if (workingDays > MAX_COMPLETION_DAYS) return { ok: false, problem: 'due_too_far', vars: { max: MAX_COMPLETION_DAYS } };
    return { ok: true, date: calendar.addWorkingDays(today, workingDays).date, workingDays };
  }
  const year = due.date.year ?? Number(today.slice(0, 4));
  let date = `${year}-${String(due.date.month).padStart(2, '0')}-${String(due.date.day).padStart(2, '0')}`;
  // "1月10日" said in December means next January; a date a few weeks back is a date in the past.
  if (due.date.year === null && isLocalDate(date) && date < addDays(today, -RECENT_PAST_DAYS)) date = `${year + 1}${date.slice(4)}`;
  if (!isLocalDate(date)) return { ok: false, problem: 'malformed_date', vars: { detail: `${due.date.month}月${due.date.day}日` } };
  if (date <= today) return { ok: false, problem: 'due_in_past', vars: { date } };
  const day = calendar.day(date);
  if (!day.workday) return { ok: false, problem: 'due_not_workday', vars: { date, reason: day.label ?? (day.reason === 'weekend' ? '周末' : '休息日') } };
  const workingDays = calendar.countWorkingDays(today, date).count;
  if (workingDays > MAX_COMPLETION_DAYS || date > addDays(today, 366)) return { ok: false, problem: 'due_too_far', vars: { max: MAX_COMPLETION_DAYS } };
  return { ok: true, date, workingDays };
}
