import { addDays, shanghaiDate, startOfShanghaiDay } from '../../calendar/local-date.ts';

/**
 * Pacing of one personal account's sends (a bot that answers at machine speed gets the account
 * banned): every send waits `gapMs` plus a random extra of up to `jitterMs` after the previous one,
 * and at most `dailyCap` notifications go out per day (Asia/Shanghai). Replies to someone who just
 * wrote are paced too and counted, but never held back by the cap. Pure: time is a parameter.
 */

export type SendKind = 'reply' | 'notification';

export type Reservation = { kind: 'send'; at: number } | { kind: 'capped'; retryAt: number };

export interface SendThrottle {
  /** Takes the next sending slot (at or after `now`), or says the day's cap is reached and when it resets. */
  reserve(now: number, kind: SendKind): Reservation;
  /** Whether a notification would be refused now (without taking a slot): the reset time, or null. */
  cappedUntil(now: number): number | null;
  sentToday(now: number): number;
}

export function createSendThrottle(options: {
  gapMs: number;
  jitterMs: number;
  dailyCap: number;
  /** Sends already made today (counted from the outbox at start-up). */
  sentToday?: number;
  now?: number;
  random?: () => number;
}): SendThrottle {
  const random = options.random ?? Math.random;
  let day = options.now === undefined ? '' : shanghaiDate(options.now);
  let count = options.sentToday ?? 0;
  let lastAt = Number.NEGATIVE_INFINITY;

  const roll = (now: number) => {
    const today = shanghaiDate(now);
    if (today !== day) {
      day = today;
      count = 0;
    }
    return today;
  };
  const cappedUntil = (now: number): number | null => {
    const today = roll(now);
    return count >= options.dailyCap ? startOfShanghaiDay(addDays(today, 1)) : null;
  };

  return {
    reserve(now, kind) {
      const until = cappedUntil(now);
      if (kind === 'notification' && until !== null) return { kind: 'capped', retryAt: until };
      count++;
      const at = Math.max(now, lastAt + options.gapMs + Math.floor(random() * options.jitterMs));
      lastAt = at;
      return { kind: 'send', at };
    },
    cappedUntil,
    sentToday(now) {
      roll(now);
      return count;
    },
  };
}
