import { shanghaiDate, type LocalDate } from '../calendar/local-date.ts';
import { nextWorkingMoment, openingOn, workingDaysBefore, type WorkingHours } from '../calendar/working-hours.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import type { DeadlineKind } from './errand-lifecycle.ts';

/**
 * When a running deadline speaks up by itself (domain.md §4): reminders before it falls due and,
 * once breached, escalations one working day apart up a chain of who must act — the agent, the
 * village's agent room, the township centre's room, the supervisor. Everything goes out in office
 * hours of working days. Pure: the calendar and the policy come in as parameters.
 */

export type Audience = 'agent' | 'village_room' | 'centre_room' | 'supervisor';

/** Who is told, in order, for each kind of clock; the first is also who gets the reminders. */
export const escalationChain: Readonly<Record<DeadlineKind, readonly Audience[]>> = {
  claim: ['village_room', 'centre_room', 'supervisor'],
  delivery: ['agent', 'village_room', 'centre_room', 'supervisor'],
  completion: ['centre_room', 'supervisor'],
  feedback: ['agent', 'village_room', 'centre_room', 'supervisor'],
  // The resident's rating window has steps of its own (ratingSteps): no escalation.
  rating: [],
  rectification: ['supervisor'],
  pickup: ['agent', 'village_room', 'centre_room', 'supervisor'],
  handling: ['agent', 'village_room', 'centre_room', 'supervisor'],
  handback: ['agent', 'village_room', 'centre_room', 'supervisor'],
  materials_return: ['agent', 'village_room', 'centre_room', 'supervisor'],
};

export interface AlertPolicy {
  /** Reminders this many working days before the due day, at opening time (0 = the due day's morning). */
  reminderDaysBefore: readonly number[];
  hours: WorkingHours;
}

export interface AlertStep {
  /**
   * r<n>: reminder n working days before; e<k>: escalation level k (1 = at the breach). The rating
   * window's: i1, the resident invited once more to rate; a, the errand archived when it ends.
   */
  step: string;
  at: number;
  audience: Audience | 'resident';
}

export interface AlertDeadline {
  kind: DeadlineKind;
  startedAt: number;
  dueDate: LocalDate;
  dueAt: number;
}

/** Every alert of a running deadline, in time order. Reminders that would fall before it started are left out. */
export function alertSteps(d: AlertDeadline, calendar: WorkingDayCalendar, policy: AlertPolicy): AlertStep[] {
  const chain = escalationChain[d.kind];
  const first = chain[0];
  if (!first) return [];
  const steps: AlertStep[] = [];
  for (const n of [...new Set(policy.reminderDaysBefore)].sort((a, b) => b - a)) {
    const day = workingDaysBefore(d.dueDate, n, calendar);
    const at = nextWorkingMoment(openingOn(day, policy.hours), calendar, policy.hours);
    if (at > d.startedAt && at < d.dueAt) steps.push({ step: `r${n}`, at, audience: first });
  }
  // Breach: the first office moment after the due day ended; then one working day per level.
  let at = nextWorkingMoment(d.dueAt + 1, calendar, policy.hours);
  chain.forEach((audience, i) => {
    if (i > 0) at = nextWorkingMoment(at + 24 * 3_600_000, calendar, policy.hours);
    steps.push({ step: `e${i + 1}`, at, audience });
  });
  return steps.sort((a, b) => a.at - b.at);
}

/**
 * The rating window's steps: the resident who has not rated is invited once more `reminderDays`
 * working days after feedback (at opening time, if that is still inside the window), and the errand
 * is archived as soon as the window has ended (a silent move: any hour).
 */
export function ratingSteps(d: AlertDeadline, calendar: WorkingDayCalendar, hours: WorkingHours, reminderDays: number): AlertStep[] {
  const remindOn = calendar.addWorkingDays(shanghaiDate(d.startedAt), reminderDays).date;
  const at = nextWorkingMoment(openingOn(remindOn, hours), calendar, hours);
  return [
    ...(at > d.startedAt && at < d.dueAt ? [{ step: 'i1', at, audience: 'resident' as const }] : []),
    { step: 'a', at: d.dueAt + 1, audience: 'resident' },
  ];
}

/**
 * What to schedule now: future steps not yet sent, plus — after downtime — only the latest step
 * already due (a late escalation replaces the reminders it overtook; nothing is sent twice).
 */
export function stepsToSchedule(steps: readonly AlertStep[], sent: ReadonlySet<string>, now: number): AlertStep[] {
  const unsent = steps.filter((s) => !sent.has(s.step));
  const due = unsent.filter((s) => s.at <= now);
  const lastDue = due[due.length - 1];
  const laterThanSent = (s: AlertStep) => !steps.some((x) => sent.has(x.step) && x.at >= s.at);
  return [...(lastDue && laterThanSent(lastDue) ? [lastDue] : []), ...unsent.filter((s) => s.at > now)];
}
