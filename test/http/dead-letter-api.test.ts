import { Worker, UnrecoverableError } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSimulatorChannel } from '../../src/channels/simulator-channel.ts';
import { insertOutbox, markOutboxFailed, outboxById } from '../../src/db/outbox-repository.ts';
import { createOutboxWorker } from '../../src/jobs/outbox-delivery.ts';
import { outboxJobId, outboxQueueName } from '../../src/jobs/outbox-queues.ts';
import { auth, startTestApp, type TestApp } from '../support/test-app.ts';

/** Dead letters an admin can see and send again; rows whose jobs ended unsent are found by the sweep. */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const insert = (text: string, recipient = 'agent-li') =>
  app.daiban.database.write(() =>
    insertOutbox(app.daiban.database, [{ channel: 'simulator', recipient, room: null, text, kind: 'notification' }], app.clock.now),
  )[0] ?? 0;
const kill = (id: number, reason: string) => app.daiban.database.write(() => markOutboxFailed(app.daiban.database, id, reason, 6, true));
const get = (url: string, headers: Record<string, string> = auth) => app.daiban.server.inject({ method: 'GET', url, headers });
const post = (url: string, headers: Record<string, string> = auth) => app.daiban.server.inject({ method: 'POST', url, headers });

describe('dead letters', () => {
  it('lists messages given up on, newest first, with the last error — to an admin only', async () => {
    const first = insert('第一封死信');
    const second = insert('第二封死信');
    kill(first, 'HTTP 500 from the remote, six times');
    kill(second, '45015 outside the 48 h window');
    expect((await get('/api/admin/dead-letters', {})).statusCode).toBe(401);
    const r = await get('/api/admin/dead-letters');
    expect(r.statusCode).toBe(200);
    const list = r.json<{ deadLetters: { id: number; text: string; lastError: string; attempts: number }[] }>().deadLetters;
    const ours = list.filter((d) => d.id === first || d.id === second);
    expect(ours.map((d) => d.text)).toEqual(['第二封死信', '第一封死信']);
    expect(ours[1]).toMatchObject({ lastError: 'HTTP 500 from the remote, six times', attempts: 6 });
    expect((await get('/api/admin/dead-letters?limit=0')).statusCode).toBe(400);
  });

  it('sends a dead letter again on request; it then reaches its person once', async () => {
    const id = insert('重发这一条', 'wang-xiaojun');
    kill(id, 'remote unreachable');
    const r = await post(`/api/admin/dead-letters/${id}/retry`);
    expect(r.statusCode).toBe(202);
    expect(r.json()).toMatchObject({ ok: true, id, queued: true });
    const sent = await app.waitForOutbox({ to: 'wang-xiaojun' }, 1);
    expect(sent.filter((m) => m.text === '重发这一条')).toHaveLength(1);
    expect(outboxById(app.daiban.database, id)?.status).toBe('sent');
    // A second retry finds nothing dead to send.
    expect((await post(`/api/admin/dead-letters/${id}/retry`)).statusCode).toBe(404);
    expect((await post('/api/admin/dead-letters/abc/retry')).statusCode).toBe(400);
    expect((await post(`/api/admin/dead-letters/${id}/retry`, {})).statusCode).toBe(401);
  });

  it('retries every dead letter at once', async () => {
    const ids = [insert('全部重发一', 'liu-fang'), insert('全部重发二', 'liu-fang')];
    for (const id of ids) kill(id, 'quota');
    const r = await post('/api/admin/dead-letters/retry-all');
    expect(r.statusCode).toBe(202);
    expect(r.json<{ retried: number }>().retried).toBeGreaterThanOrEqual(2);
    const sent = await app.waitForOutbox({ to: 'liu-fang' }, 2);
    expect(sent.map((m) => m.text)).toEqual(expect.arrayContaining(['全部重发一', '全部重发二']));
  });
});

describe('the sweep and ended jobs', () => {
  it('sends again a pending message whose job failed for good without sending it', async () => {
    const quiet = await startTestApp({ worker: false });
    const connection = { url: inject('redisUrl') };
    const prefix = quiet.config.bullmqPrefix;
    try {
      const id =
        quiet.daiban.database.write(() =>
          insertOutbox(
            quiet.daiban.database,
            [{ channel: 'simulator', recipient: 'agent-zhao', room: null, text: '没发出去的', kind: 'notification' }],
            quiet.clock.now,
          ),
        )[0] ?? 0;
      // A worker that breaks before it gets to the message (as a job that stalled too often ends).
      const broken = new Worker(outboxQueueName('simulator'), () => Promise.reject(new UnrecoverableError('stalled more than allowable limit')), {
        connection,
        prefix,
      });
      await quiet.daiban.outbox.enqueue([id]);
      const queue = quiet.daiban.outbox.queues.get('simulator');
      for (let i = 0; i < 100 && (await queue?.getJob(outboxJobId(id)))?.failedReason === undefined; i++) await new Promise((r) => setTimeout(r, 30));
      await broken.close();
      expect(outboxById(quiet.daiban.database, id)?.status).toBe('pending');

      // A plain sweep cannot add the same job id again; after a while the sweep sees the ended job.
      const worker = createOutboxWorker({
        connection,
        prefix,
        database: quiet.daiban.database,
        channel: createSimulatorChannel(quiet.daiban.database, () => quiet.clock.now),
        logger: pino({ level: 'silent' }),
        now: () => quiet.clock.now,
      });
      try {
        await quiet.daiban.sweep();
        await new Promise((r) => setTimeout(r, 300));
        expect(outboxById(quiet.daiban.database, id)?.status).toBe('pending');
        quiet.clock.now += 3 * 60_000;
        await quiet.daiban.sweep();
        const sent = await quiet.waitForOutbox({ to: 'agent-zhao' }, 1);
        expect(sent.map((m) => m.text)).toEqual(['没发出去的']);
      } finally {
        await worker.close();
      }
    } finally {
      await quiet.close();
    }
  });
});
