import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { insertOutbox, outboxById } from '../../src/db/outbox-repository.ts';
import { freePort, startPrivateRedis, type LocalRedis } from '../../src/redis/local-redis.ts';
import { fileErrandByChat, homesteadAnswers } from '../support/intake.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { until } from '../support/until.ts';

/**
 * The database is the source of truth: with a private redis-server (this file flushes and stops
 * it), a flushed Redis gets every alert job and pending message back from the database, and with
 * Redis down the bot goes on answering, then sends what waited once Redis is back.
 */

const quiet = { info: () => undefined, warn: () => undefined };
let port: number;
let redis: LocalRedis;
let app: TestApp;
beforeAll(async () => {
  port = await freePort();
  redis = await startPrivateRedis(quiet, { port });
  app = await startTestApp({ redisUrl: redis.url });
});
afterAll(async () => {
  await app.close();
  await redis.stop?.();
});

const room = 'lw-agents@chatroom';

async function alertJobsOf(receipt: string) {
  const row = app.daiban.database.sqlite.prepare('SELECT id FROM errands WHERE receipt_no = ?').get(receipt) as { id: number };
  const jobs = await app.daiban.alerts.scheduler.queue.getJobs(['delayed', 'waiting']);
  return jobs.filter((j) => j.data.errandId === row.id).map((j) => j.id);
}

/** The probe's value once `ok` holds; a probe that throws (Redis away) counts as not yet. */
async function eventually<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean, ms = 10_000): Promise<T> {
  let value: T | undefined;
  await until(async () => ok((value = await probe().catch(() => undefined as T))), what, ms, 100);
  return value as T;
}

describe('Redis flushed', () => {
  it('rebuilds the alert jobs and sends a notification that was only in the database', async () => {
    const receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
    await app.settle();
    const jobs = await eventually(
      "the errand's alert job",
      () => alertJobsOf(receipt),
      (j) => j.length === 1,
    );
    expect(jobs).toHaveLength(1);

    const client = new Redis(redis.url);
    await client.flushall();
    expect(await alertJobsOf(receipt)).toEqual([]);
    // A notification committed while the flush happened: its job is gone with everything else.
    const [id] = app.daiban.database.write(() =>
      insertOutbox(app.daiban.database, [{ channel: 'simulator', recipient: null, room, text: '清空之后补发', kind: 'notification' }], app.clock.now),
    );
    const started = Date.now();
    const back = await eventually(
      'the alert job rebuilt after the flush',
      () => alertJobsOf(receipt),
      (j) => j.length === 1,
    );
    expect(back).toEqual(jobs);
    const sent = await eventually(
      'the notification written during the flush to be sent',
      async () => outboxById(app.daiban.database, id ?? 0)?.status,
      (s) => s === 'sent',
    );
    expect(sent).toBe('sent');
    expect(Date.now() - started).toBeLessThan(10_000);
    client.disconnect();
  });
});

describe('Redis down', () => {
  it('goes on answering residents and filing errands, and sends what waited once Redis is back', async () => {
    await redis.stop?.();
    let restarted = false;
    onTestFinished(async () => {
      if (!restarted) redis = await startPrivateRedis(quiet, { port });
    });
    const replies = await app.say('zhang-xiuhua', '你好');
    expect(replies.join('')).not.toBe('');
    const receipt = await fileErrandByChat(app, 'zhang-xiuhua', '宅基地建房', homesteadAnswers);
    const waiting = app.daiban.database.sqlite
      .prepare("SELECT o.id, o.status FROM outbox o JOIN errands e ON e.id = o.errand_id WHERE o.kind = 'notification' AND e.receipt_no = ?")
      .all(receipt) as { id: number; status: string }[];
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((w) => w.status === 'pending')).toBe(true);

    redis = await startPrivateRedis(quiet, { port });
    restarted = true;
    const delivered = await eventually(
      'the notifications that waited to be sent',
      async () => waiting.map((w) => outboxById(app.daiban.database, w.id)?.status),
      (s) => s.every((x) => x === 'sent'),
      20_000,
    );
    expect(delivered.every((x) => x === 'sent')).toBe(true);
    // The new errand's deadline alert was scheduled by the rebuild that followed the outage.
    expect(
      await eventually(
        "the new errand's alert job",
        () => alertJobsOf(receipt),
        (j) => j.length === 1,
      ),
    ).toHaveLength(1);
  });
});
