import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../errors.ts';

/**
 * Limits the anonymous progress lookup, shared by every web process through Redis (a per-process
 * memory limiter stands in while Redis is away): each IP address has a budget of lookups, and each
 * receipt number a smaller budget of failed ones, so the four phone digits cannot be guessed.
 */

export interface ProgressLimits {
  perIp: { points: number; seconds: number };
  failuresPerReceipt: { points: number; seconds: number };
}

export const DEFAULT_PROGRESS_LIMITS: ProgressLimits = {
  perIp: { points: 30, seconds: 600 },
  failuresPerReceipt: { points: 5, seconds: 3600 },
};

export interface ProgressLimiter {
  /** Counts one lookup from `ip`; throws 429 (with `retryAfterSeconds`) over the budget, or while `receiptNo` is locked. */
  admit(ip: string, receiptNo: string): Promise<void>;
  /** Counts a failed lookup of `receiptNo`. */
  failed(receiptNo: string): Promise<void>;
}

function limiter(redis: Redis, prefix: string, name: string, limit: { points: number; seconds: number }) {
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
  const byIp = limiter(redis, prefix, 'progress-ip', limits.perIp);
  const byReceipt = limiter(redis, prefix, 'progress-receipt', limits.failuresPerReceipt);
  return {
    async admit(ip, receiptNo) {
      const locked = await byReceipt.get(receiptNo).catch(() => null);
      if (locked && locked.consumedPoints >= limits.failuresPerReceipt.points) throw tooMany(locked);
      try {
        await byIp.consume(ip);
      } catch (error) {
        if (error instanceof RateLimiterRes) throw tooMany(error);
        throw error;
      }
    },
    async failed(receiptNo) {
      await byReceipt.consume(receiptNo).catch((error: unknown) => {
        if (!(error instanceof RateLimiterRes)) throw error;
      });
    },
  };
}
