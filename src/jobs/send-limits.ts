import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Per-destination sending limits (WeChat throttles a group that receives too much, and so do the
 * people in it): at most N messages a minute to one room, M to one person. The counters live in
 * Redis, so every worker process shares them. Answers how long a message must wait (0: send now).
 */

export interface SendLimits {
  waitMs(destination: { channel: string; room: string | null; recipient: string | null }): Promise<number>;
}

export function createSendLimits(redis: Redis, prefix: string, limits: { roomPerMinute: number; personPerMinute: number; windowSeconds?: number }): SendLimits {
  const duration = limits.windowSeconds ?? 60;
  const rooms = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:daiban:limit-room`, points: limits.roomPerMinute, duration });
  const people = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:daiban:limit-person`, points: limits.personPerMinute, duration });
  return {
    async waitMs({ channel, room, recipient }) {
      const [limiter, key] = room !== null ? [rooms, `${channel}|${room}`] : [people, `${channel}|${recipient ?? ''}`];
      try {
        await limiter.consume(key);
        return 0;
      } catch (refusal) {
        // The library rejects with a RateLimiterRes when the limit is reached, with an Error when Redis failed.
        if (refusal instanceof RateLimiterRes) return Math.max(refusal.msBeforeNext, 1);
        throw refusal;
      }
    },
  };
}
