import { endOfShanghaiDay, shanghaiDate, type LocalDate } from '../calendar/local-date.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import type { DeadlineKind, DeadlineOps } from './errand-lifecycle.ts';

/**
 * The clocks of an errand (domain.md §4), counted in working days on the Shanghai calendar.
 * A deadline of n working days started on day D falls due at the end of the n-th working day
 * after D. Suspension stores the working days left; resumption counts them again from that day.
 * Pure: the calendar and the time come in as parameters.
 */

export type DeadlineStatus = 'running' | 'paused' | 'met' | 'breached' | 'cancelled';

export interface Deadline {
  kind: DeadlineKind;
  status: DeadlineStatus;
  startedAt: number;
  workingDays: number;
  dueDate: LocalDate | null;
  dueAt: number | null;
  remainingWorkingDays: number | null;
  /** The calendar had no official data for a year the count crossed. */
  provisional: boolean;
  closedAt: number | null;
}

export interface ClockContext {
  now: number;
  calendar: WorkingDayCalendar;
}

function due(from: LocalDate, workingDays: number, calendar: WorkingDayCalendar) {
  const r = calendar.addWorkingDays(from, workingDays);
  return { dueDate: r.date, dueAt: endOfShanghaiDay(r.date), provisional: r.uncertainYears.length > 0, uncertainYears: r.uncertainYears };
}

export function startDeadline(kind: DeadlineKind, workingDays: number, { now, calendar }: ClockContext): Deadline {
  const d = due(shanghaiDate(now), workingDays, calendar);
  return {
    kind,
    status: 'running',
    startedAt: now,
    workingDays,
    dueDate: d.dueDate,
    dueAt: d.dueAt,
    remainingWorkingDays: null,
    provisional: d.provisional,
    closedAt: null,
  };
}

/** Stops a running clock and keeps the working days that were left (0 when already overdue). */
export function pauseDeadline<D extends Deadline>(d: D, { now, calendar }: ClockContext): D {
  if (d.status !== 'running' || !d.dueDate) return d;
  const left = calendar.countWorkingDays(shanghaiDate(now), d.dueDate).count;
  return { ...d, status: 'paused', remainingWorkingDays: Math.max(0, left), dueDate: null, dueAt: null };
}

export function resumeDeadline<D extends Deadline>(d: D, { now, calendar }: ClockContext): D {
  if (d.status !== 'paused') return d;
  const r = due(shanghaiDate(now), d.remainingWorkingDays ?? 0, calendar);
  return { ...d, status: 'running', dueDate: r.dueDate, dueAt: r.dueAt, remainingWorkingDays: null, provisional: r.provisional };
}

/** Closes a clock: met when done before it fell due, breached when done late. */
export function meetDeadline<D extends Deadline>(d: D, now: number): D {
  if (d.status !== 'running' && d.status !== 'paused') return d;
  const late = d.dueAt !== null && now > d.dueAt;
  return { ...d, status: late ? 'breached' : 'met', closedAt: now };
}

export function cancelDeadline<D extends Deadline>(d: D, now: number): D {
  if (d.status !== 'running' && d.status !== 'paused') return d;
  return { ...d, status: 'cancelled', closedAt: now };
}

export function isOverdue(d: Deadline, now: number): boolean {
  return d.status === 'running' && d.dueAt !== null && now > d.dueAt;
}

export interface DeadlinePlan<D extends Deadline> {
  /** Existing clocks with their new state (only those that changed), keeping their other fields (ids). */
  changed: D[];
  /** New clocks to create. */
  started: Deadline[];
}

/**
 * Applies a transition's deadline operations to the errand's open clocks. `daysFor` gives the
 * working days of a kind to start (e.g. the item's promised days for completion).
 */
export function planDeadlines<D extends Deadline>(
  open: readonly D[],
  ops: DeadlineOps,
  ctx: ClockContext,
  daysFor: (kind: DeadlineKind) => number,
): DeadlinePlan<D> {
  const changed = new Map<D, D>();
  const current = (d: D) => changed.get(d) ?? d;
  const update = (d: D, next: D) => {
    if (next !== current(d)) changed.set(d, next);
  };
  const isOpen = (d: D) => current(d).status === 'running' || current(d).status === 'paused';

  for (const d of open) {
    if (!isOpen(d)) continue;
    if (ops.meet.includes(d.kind)) update(d, meetDeadline(current(d), ctx.now));
    else if (ops.cancel === 'all' || ops.cancel.includes(d.kind) || ops.start.includes(d.kind)) update(d, cancelDeadline(current(d), ctx.now));
    else if (ops.pause) update(d, pauseDeadline(current(d), ctx));
    else if (ops.resume) update(d, resumeDeadline(current(d), ctx));
  }
  const started = ops.start.map((kind) => startDeadline(kind, daysFor(kind), ctx));
  return { changed: [...changed.values()], started };
}
