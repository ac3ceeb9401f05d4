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
  /**
   * Takes `count` places (default 1, at most `max`) for `key` now and answers 0, or answers how long
   * to wait (ms) until there is room for all of them, taking none.
   */
  take(key: string, count?: number): Promise<number>;
}

// KEYS[1] the log; ARGV: max, windowMs, a unique member, count.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local count = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local held = redis.call('ZCARD', KEYS[1])
if held + count <= max then
  for i = 1, count do redis.call('ZADD', KEYS[1], now, ARGV[3] .. ':' .. i) end
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
-- Room for all of them once the (held + count - max)-th oldest place leaves the window.
local leaving = redis.call('ZRANGE', KEYS[1], held + count - max - 1, held + count - max - 1, 'WITHSCORES')
return math.max(1, tonumber(leaving[2]) + window - now + 1)
`;

export function createSlidingWindowLimit(options: { redis: Redis; keyPrefix: string; max: number; windowMs: number }): SlidingWindowLimit {
  const { redis } = options;
  return {
    async take(key, count = 1) {
      const places = Math.min(Math.max(1, Math.floor(count)), options.max);
      const wait = await redis.eval(TAKE, 1, `${options.keyPrefix}:${key}`, options.max, options.windowMs, randomUUID(), places);
      return Number(wait);
    },
  };
}
