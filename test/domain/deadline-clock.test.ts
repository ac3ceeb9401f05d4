import { describe, expect, it } from 'vitest';
import { loadHolidaySchedules } from '../../src/calendar/holiday-data.ts';
import { createWorkingDayCalendar } from '../../src/calendar/working-day-calendar.ts';
import type { DeadlineOps } from '../../src/domain/errand-lifecycle.ts';
import { isOverdue, meetDeadline, pauseDeadline, planDeadlines, resumeDeadline, startDeadline } from '../../src/domain/deadline-clock.ts';

const calendar = createWorkingDayCalendar({ years: loadHolidaySchedules('data/calendar') });
const at = (iso: string) => Date.parse(iso);
const none: DeadlineOps = { start: [], meet: [], cancel: [], pause: false, resume: false };

describe('deadline clocks in working days', () => {
  it('falls due at the end of the n-th working day after the start', () => {
    const d = startDeadline('delivery', 3, { now: at('2026-12-03T15:00:00+08:00'), calendar });
    // Thu 12-03 + 3 working days: Fri, Mon, Tue.
    expect(d.dueDate).toBe('2026-12-08');
    expect(d.dueAt).toBe(at('2026-12-09T00:00:00+08:00') - 1);
    expect(d.provisional).toBe(false);
    expect(isOverdue(d, at('2026-12-08T23:59:00+08:00'))).toBe(false);
    expect(isOverdue(d, at('2026-12-09T00:00:01+08:00'))).toBe(true);
  });

  it('started on a holiday, counts from the first working day', () => {
    const d = startDeadline('claim', 1, { now: at('2026-10-02T10:00:00+08:00'), calendar });
    expect(d.dueDate).toBe('2026-10-08');
  });

  it('marks a deadline that crosses into 2027 as provisional', () => {
    const d = startDeadline('completion', 20, { now: at('2026-12-20T10:00:00+08:00'), calendar });
    expect(d.provisional).toBe(true);
    expect(d.dueDate?.startsWith('2027-01')).toBe(true);
  });

  it('pauses with the working days left and resumes them from the day of resumption', () => {
    const started = startDeadline('completion', 10, { now: at('2026-12-01T09:00:00+08:00'), calendar });
    expect(started.dueDate).toBe('2026-12-15');
    const paused = pauseDeadline(started, { now: at('2026-12-04T09:00:00+08:00'), calendar });
    expect(paused).toMatchObject({ status: 'paused', remainingWorkingDays: 7, dueDate: null, dueAt: null });
    const resumed = resumeDeadline(paused, { now: at('2026-12-10T09:00:00+08:00'), calendar });
    expect(resumed).toMatchObject({ status: 'running', remainingWorkingDays: null, dueDate: '2026-12-21' });
  });

  it('keeps 0 days left when paused after it fell due', () => {
    const started = startDeadline('claim', 1, { now: at('2026-12-01T09:00:00+08:00'), calendar });
    const paused = pauseDeadline(started, { now: at('2026-12-07T09:00:00+08:00'), calendar });
    expect(paused.remainingWorkingDays).toBe(0);
  });

  it('is met in time or breached when done late', () => {
    const d = startDeadline('delivery', 3, { now: at('2026-12-01T09:00:00+08:00'), calendar });
    expect(meetDeadline(d, at('2026-12-03T09:00:00+08:00')).status).toBe('met');
    expect(meetDeadline(d, at('2026-12-07T09:00:00+08:00')).status).toBe('breached');
  });

  it('plans a transition: meets, cancels, starts and pauses the right clocks', () => {
    const now = at('2026-12-01T09:00:00+08:00');
    const claim = { ...startDeadline('claim', 1, { now, calendar }), id: 1 };
    const rating = { ...startDeadline('rating', 5, { now, calendar }), id: 2 };
    const later = now + 3_600_000;
    const plan = planDeadlines([claim, rating], { ...none, meet: ['claim'], cancel: ['rating'], start: ['delivery'] }, { now: later, calendar }, () => 3);
    expect(plan.changed.map((d) => [d.id, d.status])).toEqual([
      [1, 'met'],
      [2, 'cancelled'],
    ]);
    expect(plan.started.map((d) => [d.kind, d.dueDate])).toEqual([['delivery', '2026-12-04']]);
    const paused = planDeadlines([claim, rating], { ...none, pause: true }, { now: later, calendar }, () => 3);
    expect(paused.changed.map((d) => d.status)).toEqual(['paused', 'paused']);
    const all = planDeadlines([claim, rating], { ...none, cancel: 'all' }, { now: later, calendar }, () => 3);
    expect(all.changed.every((d) => d.status === 'cancelled')).toBe(true);
  });
});
