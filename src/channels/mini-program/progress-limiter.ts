import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../errors.ts';

/**
 * Limits the anonymous progress lookup, shared by every web process through Redis (a per-process
 * memory limiter stands in while Redis is away). Every lookup is counted before it is answered, in
 * one atomic step per budget (rate-limiter-flexible's consume), so simultaneous guesses cannot slip
 * past a check made before the count; a right answer gives its guess back.
 * - each address: a budget of lookups, and a budget of wrong guesses over all receipts (walking the
 *   sequential receipt numbers costs guesses);
 * - each receipt from each address: a few wrong guesses, so one client is locked out of guessing
 *   without locking the owner out from another;
 * - each receipt from everywhere: a slower budget, so many addresses together cannot guess it either.
 */

interface Budget {
  points: number;
  seconds: number;
}

export interface ProgressLimits {
  perIp: Budget;
  failuresPerIp: Budget;
  failuresPerReceiptAndIp: Budget;
  failuresPerReceipt: Budget;
}

export const DEFAULT_PROGRESS_LIMITS: ProgressLimits = {
  perIp: { points: 30, seconds: 600 },
  failuresPerIp: { points: 20, seconds: 3600 },
  failuresPerReceiptAndIp: { points: 5, seconds: 3600 },
  failuresPerReceipt: { points: 20, seconds: 86_400 },
};

export interface ProgressAttempt {
  /** Says how the lookup went: a right one gives back its guess. */
  settle(right: boolean): Promise<void>;
}

export interface ProgressLimiter {
  /** Counts one lookup of `receiptNo` from `ip`; throws 429 (with `retryAfterSeconds`) over any budget. */
  admit(ip: string, receiptNo: string): Promise<ProgressAttempt>;
}

function limiter(redis: Redis, prefix: string, name: string, limit: Budget) {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:daiban:mp-${name}`,
    points: limit.points,
    duration: limit.seconds,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ points: limit.points, duration: limit.seconds }),
  });
}

const tooMany = (res: RateLimiterRes) => {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError('too_many_requests', `Too many progress lookups; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
};

export function createProgressLimiter(redis: Redis, prefix: string, limits: ProgressLimits = DEFAULT_PROGRESS_LIMITS): ProgressLimiter {
  const lookups = limiter(redis, prefix, 'progress-ip', limits.perIp);
  const guesses = [
    { limiter: limiter(redis, prefix, 'progress-guess-ip', limits.failuresPerIp), key: (ip: string) => ip },
    {
      limiter: limiter(redis, prefix, 'progress-guess-receipt-ip', limits.failuresPerReceiptAndIp),
      key: (ip: string, receiptNo: string) => `${receiptNo}:${ip}`,
    },
    { limiter: limiter(redis, prefix, 'progress-guess-receipt', limits.failuresPerReceipt), key: (_ip: string, receiptNo: string) => receiptNo },
  ];
  const consume = async (l: RateLimiterRedis, key: string) => {
    try {
      await l.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw tooMany(error);
      throw error;
    }
  };
  return {
    async admit(ip, receiptNo) {
      await consume(lookups, ip);
      // Each guess is counted before the answer is looked up; a 429 keeps what it counted.
      for (const g of guesses) await consume(g.limiter, g.key(ip, receiptNo));
      return {
        async settle(right) {
          if (!right) return;
          await Promise.all(guesses.map((g) => g.limiter.reward(g.key(ip, receiptNo), 1).catch(() => undefined)));
        },
      };
    },
  };
}
