import type { TestProject } from 'vitest/node';
import { resolveRedis, type LocalRedis } from '../../src/redis/local-redis.ts';

/**
 * One Redis for the whole run: REDIS_URL if set, else the machine's 127.0.0.1:6379, else a private
 * redis-server started here. Tests isolate themselves by a unique BullMQ prefix and never flush it.
 */
let redis: LocalRedis | null = null;

export async function setup(project: TestProject): Promise<void> {
  redis = await resolveRedis(process.env.REDIS_URL || undefined, { info: (m) => console.log(m), warn: (m) => console.warn(m) }, { privateServer: true });
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.stop?.();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
