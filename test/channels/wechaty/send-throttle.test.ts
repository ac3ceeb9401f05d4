import { describe, expect, it } from 'vitest';
import { createSendThrottle } from '../../../src/channels/wechaty/send-throttle.ts';

/** The pacing of one account's sends, with time as a parameter. */

const NOON = Date.parse('2026-12-01T12:00:00+08:00');
const NEXT_MIDNIGHT = Date.parse('2026-12-02T00:00:00+08:00');

describe('the send throttle of a personal account', () => {
  it('spaces sends by the gap plus a random jitter, one after another', () => {
    const rolls = [0, 0.5, 0.99];
    const throttle = createSendThrottle({ gapMs: 3000, jitterMs: 2000, dailyCap: 100, random: () => rolls.shift() ?? 0 });
    const first = throttle.reserve(NOON, 'notification');
    const second = throttle.reserve(NOON, 'reply');
    const third = throttle.reserve(NOON + 100, 'notification');
    expect(first).toEqual({ kind: 'send', at: NOON });
    expect(second).toEqual({ kind: 'send', at: NOON + 3000 + 1000 });
    expect(third).toEqual({ kind: 'send', at: NOON + 4000 + 3000 + 1980 });
    // Long after the last one, a send goes at once.
    expect(throttle.reserve(NOON + 60_000, 'reply')).toEqual({ kind: 'send', at: NOON + 60_000 });
  });

  it('holds notifications over the daily cap until the next Shanghai day, but still answers people who wrote', () => {
    const throttle = createSendThrottle({ gapMs: 0, jitterMs: 0, dailyCap: 2, sentToday: 1, now: NOON });
    expect(throttle.cappedUntil(NOON)).toBeNull();
    expect(throttle.reserve(NOON, 'notification').kind).toBe('send');
    expect(throttle.cappedUntil(NOON)).toBe(NEXT_MIDNIGHT);
    expect(throttle.reserve(NOON + 1, 'notification')).toEqual({ kind: 'capped', retryAt: NEXT_MIDNIGHT });
    expect(throttle.reserve(NOON + 2, 'reply')).toEqual({ kind: 'send', at: NOON + 2 });
    expect(throttle.sentToday(NOON + 3)).toBe(3);
    // A new day starts from zero.
    expect(throttle.reserve(NEXT_MIDNIGHT, 'notification')).toEqual({ kind: 'send', at: NEXT_MIDNIGHT });
    expect(throttle.sentToday(NEXT_MIDNIGHT)).toBe(1);
  });
});
