import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import type { OutboundChannel, OutboundMessage } from '../../src/app/ports.ts';
import { openDatabase, type Database } from '../../src/db/open-database.ts';
import { insertOutbox, outboxById } from '../../src/db/outbox-repository.ts';
import { createOutboxWorker } from '../../src/jobs/outbox-delivery.ts';
import { outboxJobId, outboxQueueName, type OutboxJob } from '../../src/jobs/outbox-queues.ts';
import { createSendLimits } from '../../src/jobs/send-limits.ts';

/**
 * Messages to one person arrive in the order they were written, even with several deliveries at
 * once and a failed attempt in between; other people's messages do not wait for them.
 */

const dir = mkdtempSync(join(tmpdir(), 'daiban-order-'));
const connection = { url: inject('redisUrl') };
let round = 0;
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A channel of our own port: records what it sent, in order; can fail or be slow on cue. */
function recordingChannel(behaviour: (m: OutboundMessage, attempt: number) => Promise<void>): OutboundChannel & { sent: OutboundMessage[] } {
  const sent: OutboundMessage[] = [];
  const attempts = new Map<number, number>();
  return {
    name: 'simulator',
    sent,
    async send(m) {
      const attempt = (attempts.get(m.outboxId) ?? 0) + 1;
      attempts.set(m.outboxId, attempt);
      await behaviour(m, attempt);
      sent.push(m);
    },
  };
}

async function setUp(channel: OutboundChannel, roomPerWindow?: number) {
  round++;
  const prefix = `order${process.pid}r${round}`;
  const database: Database = openDatabase(join(dir, `order-${round}.db`));
  const queue = new Queue<OutboxJob>(outboxQueueName('simulator'), { connection, prefix });
  const redis = new Redis(connection.url);
  // A one-second window stands in for the minute, so the test does not wait a minute.
  const limits = roomPerWindow ? createSendLimits(redis, prefix, { roomPerMinute: roomPerWindow, personPerMinute: 100, windowSeconds: 1 }) : undefined;
  const worker: Worker = createOutboxWorker({
    connection,
    prefix,
    database,
    channel,
    logger: pino({ level: 'silent' }),
    now: Date.now,
    concurrency: 4,
    ...(limits ? { limits } : {}),
  });
  cleanup.push(async () => {
    await worker.close();
    redis.disconnect();
    await queue.obliterate({ force: true });
    await queue.close();
    database.close();
  });
  const write = (to: string, texts: string[], room: string | null = null) =>
    database.write(() =>
      insertOutbox(
        database,
        texts.map((text) => ({ channel: 'simulator', recipient: room ? null : to, room, text, kind: 'notification' as const, dedupeKey: null })),
        Date.now(),
      ),
    );
  const enqueue = (ids: number[]) =>
    queue.addBulk(
      ids.map((outboxId) => ({
        name: 'deliver',
        data: { outboxId },
        opts: { jobId: outboxJobId(outboxId), attempts: 4, backoff: { type: 'fixed', delay: 150 } },
      })),
    );
  const settled = async (ids: number[]) => {
    for (let i = 0; i < 200 && ids.some((id) => outboxById(database, id)?.status === 'pending'); i++) await new Promise((r) => setTimeout(r, 25));
    return ids.map((id) => outboxById(database, id)?.status);
  };
  return { database, write, enqueue, settled };
}

describe('outbox delivery order', () => {
  it('keeps one person’s messages in order when deliveries run four at a time and take uneven time', async () => {
    const channel = recordingChannel(async () => new Promise((r) => setTimeout(r, Math.random() * 15)));
    const t = await setUp(channel);
    const texts = Array.from({ length: 30 }, (_, i) => `第${i + 1}条`);
    const ids = t.write('zhang-xiuhua', texts);
    await t.enqueue(ids);
    expect(await t.settled(ids)).toEqual(ids.map(() => 'sent'));
    expect(channel.sent.map((m) => m.text)).toEqual(texts);
    // The order of sending recorded in the database agrees.
    const seqs = ids.map((id) => outboxById(t.database, id)?.sentSeq ?? 0);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('holds later messages to the same person while an earlier one waits for its retry, and no one else', async () => {
    const channel = recordingChannel(async (m, attempt) => {
      if (m.text === '已办结' && attempt === 1) throw new Error('network hiccup');
    });
    const t = await setUp(channel);
    const zhang = t.write('zhang-xiuhua', ['已办结', '已反馈', '请评价']);
    const wang = t.write('wang-xiaojun', ['王的通知']);
    await t.enqueue([...zhang, ...wang]);
    expect(await t.settled([...zhang, ...wang])).toEqual(['sent', 'sent', 'sent', 'sent']);
    const order = channel.sent.map((m) => m.text);
    expect(order.filter((x) => x !== '王的通知')).toEqual(['已办结', '已反馈', '请评价']);
    // 王 did not wait for 张's retry.
    expect(order.indexOf('王的通知')).toBeLessThan(order.indexOf('已办结'));
    expect(outboxById(t.database, zhang[0] ?? 0)?.attempts).toBe(1);
  });

  it('gives every attempt at a message the same de-duplication key, and each message its own', async () => {
    const keys: string[] = [];
    const channel = recordingChannel(async (m, attempt) => {
      keys.push(m.dedupeKey);
      if (attempt === 1) throw new Error('the remote took it but the answer was lost');
    });
    const t = await setUp(channel);
    const ids = t.write('zhang-xiuhua', ['第一条', '第二条']);
    await t.enqueue(ids);
    expect(await t.settled(ids)).toEqual(['sent', 'sent']);
    expect(keys).toEqual([`daiban-outbox-${ids[0]}`, `daiban-outbox-${ids[0]}`, `daiban-outbox-${ids[1]}`, `daiban-outbox-${ids[1]}`]);
  });

  it('sends no more than the limit to one room in a window; the rest follow in order, and other rooms do not wait', async () => {
    const channel = recordingChannel(async () => undefined);
    const t = await setUp(channel, 3);
    const texts = Array.from({ length: 7 }, (_, i) => `群消息${i + 1}`);
    const busy = t.write('', texts, 'busy@chatroom');
    const quiet = t.write('', ['另一个群'], 'quiet@chatroom');
    const started = Date.now();
    await t.enqueue([...busy, ...quiet]);
    // Within the first window only three of the busy room's messages go; the quiet room's goes at once.
    await new Promise((r) => setTimeout(r, 600));
    const early = channel.sent.map((m) => m.text);
    expect(early.filter((x) => x.startsWith('群消息'))).toEqual(['群消息1', '群消息2', '群消息3']);
    expect(early).toContain('另一个群');
    expect(await t.settled(busy)).toEqual(busy.map(() => 'sent'));
    expect(channel.sent.filter((m) => m.room === 'busy@chatroom').map((m) => m.text)).toEqual(texts);
    // Seven messages at three a window need at least two more windows.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });
});
