import { describe, expect, it } from 'vitest';
import { loadHolidaySchedules, parseYearFile } from '../../src/calendar/holiday-data.ts';
import { createWorkingDayCalendar } from '../../src/calendar/working-day-calendar.ts';

const schedules = loadHolidaySchedules('data/calendar');
const calendar = createWorkingDayCalendar({ years: schedules });

describe('working days around the 2026 holidays (official schedule)', () => {
  it.each([
    // Spring Festival 2026: 2-15 (Sun) … 2-23 (Mon) off; 2-14 (Sat) and 2-28 (Sat) worked.
    ['2026-02-13', true, 'weekday'],
    ['2026-02-14', true, 'make_up_workday'],
    ['2026-02-16', false, 'holiday'],
    ['2026-02-23', false, 'holiday'],
    ['2026-02-24', true, 'weekday'],
    ['2026-02-28', true, 'make_up_workday'],
    // National Day 2026: 10-01 … 10-07 off; 9-20 (Sun) and 10-10 (Sat) worked.
    ['2026-09-20', true, 'make_up_workday'],
    ['2026-10-05', false, 'holiday'],
    ['2026-10-08', true, 'weekday'],
    ['2026-10-10', true, 'make_up_workday'],
    ['2026-10-11', false, 'weekend'],
    // New Year 2026: 1-04 (Sun) worked.
    ['2026-01-04', true, 'make_up_workday'],
    ['2026-12-05', false, 'weekend'],
  ] as const)('%s is a working day: %s (%s)', (date, workday, reason) => {
    const day = calendar.day(date);
    expect(day.workday).toBe(workday);
    expect(day.reason).toBe(reason);
    expect(day.coverage).toBe('official');
  });

  it('adds working days across the Spring Festival, counting make-up Saturdays', () => {
    // From Fri 2-13: Sat 2-14 (make-up) is day 1, then the holiday, then Tue 2-24 is day 2.
    expect(calendar.addWorkingDays('2026-02-13', 1).date).toBe('2026-02-14');
    expect(calendar.addWorkingDays('2026-02-13', 2).date).toBe('2026-02-24');
    expect(calendar.addWorkingDays('2026-02-13', 5).date).toBe('2026-02-27');
    expect(calendar.addWorkingDays('2026-02-13', 6).date).toBe('2026-02-28');
    expect(calendar.addWorkingDays('2026-02-13', 7).date).toBe('2026-03-02');
  });

  it('skips the National Day week and counts the make-up Saturday after it', () => {
    expect(calendar.addWorkingDays('2026-09-30', 1).date).toBe('2026-10-08');
    expect(calendar.addWorkingDays('2026-09-30', 3).date).toBe('2026-10-10');
    expect(calendar.addWorkingDays('2026-09-30', 4).date).toBe('2026-10-12');
    expect(calendar.countWorkingDays('2026-09-30', '2026-10-12').count).toBe(4);
  });

  it('gives the start day itself for 0 days when it is a working day, else the next one', () => {
    expect(calendar.addWorkingDays('2026-12-01', 0).date).toBe('2026-12-01');
    expect(calendar.addWorkingDays('2026-12-05', 0).date).toBe('2026-12-07');
    expect(calendar.nextWorkingDayOnOrAfter('2026-10-01').date).toBe('2026-10-08');
  });

  it('counts working days as the inverse of adding them, and negatively backwards', () => {
    for (const from of ['2026-01-30', '2026-02-10', '2026-04-30', '2026-09-18', '2026-12-28']) {
      for (const n of [1, 3, 5, 15, 20]) {
        const to = calendar.addWorkingDays(from, n).date;
        expect(calendar.countWorkingDays(from, to).count, `${from} + ${n}`).toBe(n);
        expect(calendar.countWorkingDays(to, from).count).toBe(-n);
      }
    }
    expect(calendar.countWorkingDays('2026-12-01', '2026-12-01').count).toBe(0);
  });

  it('refuses a negative or fractional number of days', () => {
    expect(() => calendar.addWorkingDays('2026-12-01', -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-12-01', 1.5)).toThrow(RangeError);
  });
});

describe('years without an official schedule', () => {
  it('marks 2027 provisional: statutory days off, make-up days unknown', () => {
    const day = calendar.day('2027-02-08');
    expect(day).toMatchObject({ workday: false, reason: 'holiday', coverage: 'provisional' });
    const r = calendar.addWorkingDays('2026-12-30', 2);
    // 12-31 (Thu) is day 1; 2027-01-01 is New Year's Day; Mon 01-04 is day 2.
    expect(r.date).toBe('2027-01-04');
    expect(r.uncertainYears).toEqual([2027]);
  });

  it('says loudly that a year has no data at all instead of silently counting weekdays', () => {
    expect(calendar.coverage(2031)).toBe('none');
    const day = calendar.day('2031-10-01');
    expect(day.coverage).toBe('none');
    const r = calendar.addWorkingDays('2031-09-30', 1);
    expect(r.uncertainYears).toEqual([2031]);
    expect(calendar.countWorkingDays('2031-01-01', '2031-01-10').uncertainYears).toEqual([2031]);
  });

  it('is sure about 2026 deadlines', () => {
    expect(calendar.addWorkingDays('2026-06-01', 10).uncertainYears).toEqual([]);
  });
});

describe('local overrides', () => {
  it('closes a day for a flood and opens a Saturday', () => {
    const local = createWorkingDayCalendar({
      years: schedules,
      overrides: [
        { date: '2026-12-02', kind: 'closed', reason: '暴雨停电' },
        { date: '2026-12-05', kind: 'open', reason: '集中办理日' },
      ],
    });
    expect(local.day('2026-12-02')).toMatchObject({ workday: false, reason: 'override_closed', label: '暴雨停电' });
    expect(local.day('2026-12-05')).toMatchObject({ workday: true, reason: 'override_open' });
    expect(local.addWorkingDays('2026-12-01', 1).date).toBe('2026-12-03');
    expect(local.addWorkingDays('2026-12-01', 4).date).toBe('2026-12-07');
    expect(calendar.addWorkingDays('2026-12-01', 4).date).toBe('2026-12-07');
    expect(calendar.addWorkingDays('2026-12-01', 1).date).toBe('2026-12-02');
  });
});

describe('year files', () => {
  it('loads the bundled years 2004–2026 and the repository file for 2027', () => {
    const years = schedules.map((s) => s.year);
    expect(years).toEqual(expect.arrayContaining([2004, 2025, 2026, 2027]));
    expect(schedules.find((s) => s.year === 2026)?.status).toBe('official');
    expect(schedules.find((s) => s.year === 2027)?.status).toBe('provisional');
  });

  it('expands ranges and rejects contradictions and dates of another year', () => {
    const ok = parseYearFile(
      'year: 2030\nstatus: official\nsource: test\nholidays:\n  - { from: "2030-10-01", to: "2030-10-07", name: 国庆节 }\nworkdays:\n  - { date: "2030-10-12", name: 国庆节 }\n',
      'x.yaml',
    );
    expect(ok.holidays.size).toBe(7);
    expect(ok.workdays.has('2030-10-12')).toBe(true);
    expect(() => parseYearFile('year: 2030\nstatus: official\nsource: t\nholidays: [{ date: "2031-01-01", name: x }]\n', 'y.yaml')).toThrow(/not in 2030/);
    expect(() =>
      parseYearFile(
        'year: 2030\nstatus: official\nsource: t\nholidays: [{ date: "2030-01-01", name: x }]\nworkdays: [{ date: "2030-01-01", name: x }]\n',
        'z.yaml',
      ),
    ).toThrow(/both/);
    expect(() => parseYearFile('year: 2030\nstatus: maybe\nsource: t\nholidays: []\n', 'w.yaml')).toThrow(/status/);
  });
});
