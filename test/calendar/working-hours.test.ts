import { describe, expect, it } from 'vitest';
import { loadHolidaySchedules } from '../../src/calendar/holiday-data.ts';
import { createWorkingDayCalendar } from '../../src/calendar/working-day-calendar.ts';
import { nextWorkingMoment, parseWorkingHours, workingDaysBefore } from '../../src/calendar/working-hours.ts';

const calendar = createWorkingDayCalendar({ years: loadHolidaySchedules('data/calendar') });
const hours = parseWorkingHours('08:30-17:30')!;
const at = (local: string) => Date.parse(`${local}+08:00`);
const shifted = (local: string) => new Date(nextWorkingMoment(at(local), calendar, hours) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('office hours (08:30–17:30 Asia/Shanghai, working days)', () => {
  it.each([
    ['a weekday morning before opening waits for 08:30', '2026-12-01T06:10:00', '2026-12-01 08:30'],
    ['inside office hours it goes at once', '2026-12-01T10:15:00', '2026-12-01 10:15'],
    ['after closing it waits for the next morning', '2026-12-01T18:00:00', '2026-12-02 08:30'],
    ['Saturday night moves to Monday 08:30', '2026-12-05T22:00:00', '2026-12-07 08:30'],
    ['Friday evening moves to Monday', '2026-12-04T17:30:00', '2026-12-07 08:30'],
    ['a make-up Saturday is a working day', '2026-10-10T09:00:00', '2026-10-10 09:00'],
    ['Friday evening before a make-up Saturday moves to that Saturday', '2026-02-13T19:00:00', '2026-02-14 08:30'],
    ['the National Day week is skipped', '2026-09-30T18:00:00', '2026-10-08 08:30'],
    ['inside the National Day week too', '2026-10-03T09:00:00', '2026-10-08 08:30'],
  ])('%s', (_, local, expected) => {
    expect(shifted(local)).toBe(expected);
  });

  it('reads a range and refuses nonsense', () => {
    expect(parseWorkingHours('8:00-12:00')).toEqual({ openMinute: 480, closeMinute: 720 });
    expect(parseWorkingHours('17:30-08:30')).toBeNull();
    expect(parseWorkingHours('08:70-17:30')).toBeNull();
    expect(parseWorkingHours('早上')).toBeNull();
  });

  it('counts working days backwards over weekends and holidays', () => {
    expect(workingDaysBefore('2026-12-07', 1, calendar)).toBe('2026-12-04');
    expect(workingDaysBefore('2026-10-08', 1, calendar)).toBe('2026-09-30');
    expect(workingDaysBefore('2026-10-12', 1, calendar)).toBe('2026-10-10');
    expect(workingDaysBefore('2026-12-03', 0, calendar)).toBe('2026-12-03');
  });
});
