import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createSlidingWindowLimit } from '../../../src/channels/wecom/sliding-window-limit.ts';

const connections: Redis[] = [];
const connect = () => {
  const redis = new Redis(inject('redisUrl'));
  connections.push(redis);
  return redis;
};
afterAll(() => {
  for (const r of connections) r.disconnect();
});
const prefix = `swl${process.pid}x${Date.now().toString(36)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sliding window limit', () => {
  it('lets max through in a window, makes the next wait until the oldest leaves it, then lets it through', async () => {
    const limit = createSlidingWindowLimit({ redis: connect(), keyPrefix: `${prefix}:a`, max: 3, windowMs: 600 });
    expect(await Promise.all([limit.take('robot'), limit.take('robot'), limit.take('robot')])).toEqual([0, 0, 0]);
    const wait = await limit.take('robot');
    expect(wait).toBeGreaterThan(400);
    expect(wait).toBeLessThanOrEqual(601);
    // Another key has its own window.
    expect(await limit.take('other')).toBe(0);
    await sleep(wait + 20);
    expect(await limit.take('robot')).toBe(0);
  });

  it('never lets a burst at the end of one window and another at the start of the next exceed max in any window', async () => {
    const limit = createSlidingWindowLimit({ redis: connect(), keyPrefix: `${prefix}:b`, max: 4, windowMs: 800 });
    const granted: number[] = [];
    const end = Date.now() + 2000;
    while (Date.now() < end) {
      if ((await limit.take('robot')) === 0) granted.push(Date.now());
      await sleep(15);
    }
    for (const t of granted) expect(granted.filter((u) => u >= t && u < t + 780).length).toBeLessThanOrEqual(4);
    expect(granted.length).toBeGreaterThanOrEqual(8);
  });

  it('takes several places at once or none, waiting until there is room for all of them', async () => {
    const limit = createSlidingWindowLimit({ redis: connect(), keyPrefix: `${prefix}:d`, max: 4, windowMs: 600 });
    expect(await limit.take('robot')).toBe(0);
    await sleep(200);
    expect(await limit.take('robot')).toBe(0);
    // 2 held + 3 > 4: room for all three once the first place leaves (about 400 ms from now).
    const wait = await limit.take('robot', 3);
    expect(wait).toBeGreaterThan(250);
    expect(wait).toBeLessThanOrEqual(420);
    expect(await limit.take('robot', 2)).toBe(0);
    expect(await limit.take('robot')).toBeGreaterThan(0);
    await sleep(wait + 20);
    expect(await limit.take('robot', 3)).toBeGreaterThan(0);
    await sleep(250);
    expect(await limit.take('robot', 3)).toBe(0);
  });

  it('is shared by every process (connection) through Redis', async () => {
    const one = createSlidingWindowLimit({ redis: connect(), keyPrefix: `${prefix}:c`, max: 2, windowMs: 10_000 });
    const two = createSlidingWindowLimit({ redis: connect(), keyPrefix: `${prefix}:c`, max: 2, windowMs: 10_000 });
    expect(await one.take('robot')).toBe(0);
    expect(await two.take('robot')).toBe(0);
    expect(await one.take('robot')).toBeGreaterThan(0);
    expect(await two.take('robot')).toBeGreaterThan(0);
  });
});
