import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * "At most `max` in any `windowMs`", shared by every process through Redis: a sliding log (one
 * sorted set per key, scored by Redis's own clock), so that a burst at the end of one minute and
 * another at the start of the next cannot add up to twice the limit — as fixed windows (what
 * rate-limiter-flexible's Redis limiter counts in) can. WeCom refuses the extra messages outright
 * (45009), so for its robots and app messages the limit has to hold in every window.
 */

export interface SlidingWindowLimit {
  /** Takes one place for `key` now and answers 0, or answers how long to wait (ms) without taking one. */
  take(key: string): Promise<number>;
}

// KEYS[1] the log; ARGV: max, windowMs, a unique member.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
`;

export function createSlidingWindowLimit(options: { redis: Redis; keyPrefix: string; max: number; windowMs: number }): SlidingWindowLimit {
  const { redis } = options;
  return {
    async take(key) {
      const wait = await redis.eval(TAKE, 1, `${options.keyPrefix}:${key}`, options.max, options.windowMs, randomUUID());
      return Number(wait);
    },
  };
}
