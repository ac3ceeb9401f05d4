import { Redis } from 'ioredis';
import type { Database } from '../db/open-database.ts';
import type { HealthCheck } from './routes/health-routes.ts';

/** The parts /healthz asks after: the database (essential) and Redis (the bot lives without it). */

export function databaseCheck(database: Database): HealthCheck {
  return {
    name: 'database',
    check: async () => {
      database.sqlite.prepare('SELECT 1').get();
    },
  };
}

/**
 * Redis on a connection of its own that never queues a command while away, so that a PING answers or
 * fails at once (the health route gives every check one second). `close()` with the server.
 */
export function redisCheck(redisUrl: string): HealthCheck & { close(): void } {
  const redis = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1000 });
  redis.on('error', () => undefined);
  return {
    name: 'redis',
    // Without Redis the bot still takes and answers messages; notifications wait in the outbox.
    essential: false,
    check: async () => {
      if (redis.status === 'wait' || redis.status === 'end') await redis.connect().catch(() => undefined);
      if ((await redis.ping()) !== 'PONG') throw new Error('unexpected answer to PING');
    },
    close: () => redis.disconnect(),
  };
}
