import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, type Worker } from 'bullmq';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import type { OutboundChannel, OutboundMessage } from '../../src/channels/outbound-channel.ts';
import { openDatabase, type Database } from '../../src/db/open-database.ts';
import { insertOutbox, outboxById } from '../../src/db/outbox-repository.ts';
import { OUTBOX_QUEUE, createOutboxWorker, outboxJobId, type OutboxJob } from '../../src/jobs/outbox-delivery.ts';

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

async function setUp(channel: OutboundChannel) {
  round++;
  const prefix = `order${process.pid}r${round}`;
  const database: Database = openDatabase(join(dir, `order-${round}.db`));
  const queue = new Queue<OutboxJob>(OUTBOX_QUEUE, { connection, prefix });
  const worker: Worker = createOutboxWorker({ connection, prefix, database, channels: new Map([['simulator', channel]]), logger: pino({ level: 'silent' }), now: Date.now, concurrency: 4 });
  cleanup.push(async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    database.close();
  });
  const write = (to: string, texts: string[]) =>
    database.write(() => insertOutbox(database, texts.map((text) => ({ channel: 'simulator', recipient: to, room: null, text, kind: 'notification' as const, dedupeKey: null })), Date.now()));
  const enqueue = (ids: number[]) =>
    queue.addBulk(ids.map((outboxId) => ({ name: 'deliver', data: { outboxId }, opts: { jobId: outboxJobId(outboxId), attempts: 4, backoff: { type: 'fixed', delay: 150 } } })));
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
});
