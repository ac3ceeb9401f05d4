import { describe, expect, it } from 'vitest';
import { loadHolidaySchedules } from '../../src/calendar/holiday-data.ts';
import { endOfShanghaiDay } from '../../src/calendar/local-date.ts';
import { createWorkingDayCalendar } from '../../src/calendar/working-day-calendar.ts';
import { parseWorkingHours } from '../../src/calendar/working-hours.ts';
import { alertSteps, ratingSteps, stepsToSchedule, type AlertStep } from '../../src/domain/deadline-alerts.ts';

const calendar = createWorkingDayCalendar({ years: loadHolidaySchedules('data/calendar') });
const policy = { reminderDaysBefore: [1, 0], hours: parseWorkingHours('08:30-17:30')! };
const at = (local: string) => Date.parse(`${local}+08:00`);
const local = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const view = (steps: AlertStep[]) => steps.map((s) => `${s.step} ${local(s.at)} ${s.audience}`);

describe('the rating window’s steps', () => {
  it('invites once more after the reminder days at opening time, and archives right after the window', () => {
    const window = { kind: 'rating' as const, startedAt: at('2026-12-01T10:00:00'), dueDate: '2026-12-08', dueAt: endOfShanghaiDay('2026-12-08') };
    expect(view(ratingSteps(window, calendar, policy.hours, 2))).toEqual(['i1 2026-12-03 08:30 resident', 'a 2026-12-09 00:00 resident']);
    // Fed back on Wed 09-30, the eve of National Day: two working days on is Fri 10-09, after the holiday week.
    const holiday = { kind: 'rating' as const, startedAt: at('2026-09-30T16:00:00'), dueDate: '2026-10-12', dueAt: endOfShanghaiDay('2026-10-12') };
    expect(view(ratingSteps(holiday, calendar, policy.hours, 2))).toEqual(['i1 2026-10-09 08:30 resident', 'a 2026-10-13 00:00 resident']);
    // A reminder that would fall after the window has closed is left out.
    expect(view(ratingSteps(window, calendar, policy.hours, 9))).toEqual(['a 2026-12-09 00:00 resident']);
  });
});

describe('alert steps of a deadline', () => {
  it('reminds the agent the working day before and on the morning, then escalates up the chain a working day apart', () => {
    // Delivery due Mon 12-07 (started Tue 12-01): reminders Fri 12-04 and Mon 12-07; breach → Tue 12-08.
    const steps = alertSteps(
      { kind: 'delivery', startedAt: at('2026-12-01T10:00:00'), dueDate: '2026-12-07', dueAt: endOfShanghaiDay('2026-12-07') },
      calendar,
      policy,
    );
    expect(view(steps)).toEqual([
      'r1 2026-12-04 08:30 agent',
      'r0 2026-12-07 08:30 agent',
      'e1 2026-12-08 08:30 agent',
      'e2 2026-12-09 08:30 village_room',
      'e3 2026-12-10 08:30 centre_room',
      'e4 2026-12-11 08:30 supervisor',
    ]);
  });

  it('skips the National Day week and counts its make-up Saturday', () => {
    const steps = alertSteps(
      { kind: 'completion', startedAt: at('2026-09-20T10:00:00'), dueDate: '2026-09-30', dueAt: endOfShanghaiDay('2026-09-30') },
      calendar,
      policy,
    );
    expect(view(steps)).toEqual([
      'r1 2026-09-29 08:30 centre_room',
      'r0 2026-09-30 08:30 centre_room',
      'e1 2026-10-08 08:30 centre_room',
      'e2 2026-10-09 08:30 supervisor',
    ]);
    const claim = alertSteps(
      { kind: 'claim', startedAt: at('2026-10-08T10:00:00'), dueDate: '2026-10-09', dueAt: endOfShanghaiDay('2026-10-09') },
      calendar,
      policy,
    );
    // Breach after Fri 10-09 → the make-up Saturday 10-10, then Mon 10-12 (Sunday skipped).
    expect(view(claim)).toEqual([
      'r0 2026-10-09 08:30 village_room',
      'e1 2026-10-10 08:30 village_room',
      'e2 2026-10-12 08:30 centre_room',
      'e3 2026-10-13 08:30 supervisor',
    ]);
  });

  it('leaves out reminders before the clock started, and has none for the rating window', () => {
    const claim = alertSteps(
      { kind: 'claim', startedAt: at('2026-12-01T09:00:00'), dueDate: '2026-12-02', dueAt: endOfShanghaiDay('2026-12-02') },
      calendar,
      policy,
    );
    expect(claim.map((s) => s.step)).toEqual(['r0', 'e1', 'e2', 'e3']);
    expect(alertSteps({ kind: 'rating', startedAt: 0, dueDate: '2026-12-08', dueAt: endOfShanghaiDay('2026-12-08') }, calendar, policy)).toEqual([]);
  });
});

describe('what to schedule', () => {
  const steps = alertSteps(
    { kind: 'delivery', startedAt: at('2026-12-01T10:00:00'), dueDate: '2026-12-07', dueAt: endOfShanghaiDay('2026-12-07') },
    calendar,
    policy,
  );

  it('schedules every future step when nothing was sent', () => {
    expect(stepsToSchedule(steps, new Set(), at('2026-12-01T11:00:00')).map((s) => s.step)).toEqual(['r1', 'r0', 'e1', 'e2', 'e3', 'e4']);
  });

  it('after downtime sends only the latest step already due, then the future ones', () => {
    expect(stepsToSchedule(steps, new Set(['r1']), at('2026-12-08T12:00:00')).map((s) => s.step)).toEqual(['e1', 'e2', 'e3', 'e4']);
  });

  it('never schedules a step again once sent, nor one older than a sent step', () => {
    expect(stepsToSchedule(steps, new Set(['r1', 'r0']), at('2026-12-07T12:00:00')).map((s) => s.step)).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(stepsToSchedule(steps, new Set(['e1']), at('2026-12-08T12:00:00')).map((s) => s.step)).toEqual(['e2', 'e3', 'e4']);
  });
});
