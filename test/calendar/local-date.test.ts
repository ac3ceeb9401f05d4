import { afterEach, describe, expect, it } from 'vitest';
import {
  addDays,
  dayOfWeek,
  endOfShanghaiDay,
  formatChineseDate,
  isLocalDate,
  shanghaiDate,
  shanghaiMinuteOfDay,
  startOfShanghaiDay,
} from '../../src/calendar/local-date.ts';

const originalTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalTz;
});

describe('Shanghai calendar dates', () => {
  it.each(['UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Pacific/Kiritimati'])('are the same whatever the server time zone (%s)', (tz) => {
    process.env.TZ = tz;
    // 23:30 on 1 December in Shanghai is still 1 December there, wherever the server is.
    const late = Date.parse('2026-12-01T23:30:00+08:00');
    expect(shanghaiDate(late)).toBe('2026-12-01');
    expect(shanghaiDate(late + 30 * 60_000)).toBe('2026-12-02');
    expect(shanghaiMinuteOfDay(Date.parse('2026-12-01T08:30:00+08:00'))).toBe(510);
    expect(startOfShanghaiDay('2026-12-01')).toBe(Date.parse('2026-12-01T00:00:00+08:00'));
    expect(endOfShanghaiDay('2026-12-01')).toBe(Date.parse('2026-12-02T00:00:00+08:00') - 1);
  });

  it('does date arithmetic across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(dayOfWeek('2026-12-01')).toBe(2);
    expect(formatChineseDate('2026-12-05')).toBe('12月5日 周六');
  });

  it('accepts only real dates', () => {
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-13-01')).toBe(false);
    expect(isLocalDate('26-12-01')).toBe(false);
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });
});
