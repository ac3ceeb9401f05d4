import { afterAll, describe, expect, it } from 'vitest';
import { insertOutbox, markOutboxFailed } from '../../src/db/outbox-repository.ts';
import { auth, startTestApp, START, type TestApp } from '../support/test-app.ts';

const apps: TestApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

interface Health {
  status: string;
  checks: Record<string, { ok: boolean; error?: string }>;
  queues: Record<string, { ok: boolean; waiting?: number; active?: number; delayed?: number; failed?: number; error?: string }>;
  outbox: { ok: boolean; pending?: number; dead?: number };
}

const idle = { ok: true, waiting: 0, active: 0, delayed: 0, failed: 0 };
const outboxQueueOf = (h: Health) => Object.keys(h.queues).find((name) => name.startsWith('outbox')) ?? '(none)';

describe('GET /healthz', () => {
  it('is 200 when the database and Redis answer, with every queue’s counts and the outbox’s backlog', async () => {
    const app = await startTestApp({ roster: false, worker: false });
    apps.push(app);
    const r = await app.daiban.server.inject({ method: 'GET', url: '/healthz', headers: auth });
    expect(r.statusCode).toBe(200);
    const health = r.json<Health>();
    expect(health).toMatchObject({ status: 'ok', checks: { database: { ok: true }, redis: { ok: true } }, outbox: { ok: true, pending: 0, dead: 0 } });
    expect(Object.keys(health.checks)).toEqual(['database', 'redis']);
    expect(Object.keys(health.queues)).toContain('deadlines');
    expect(outboxQueueOf(health)).not.toBe('(none)');
    // Every queue answers with its counts (job schedulers keep a delayed job, so not every queue is empty).
    const count = expect.any(Number) as number;
    for (const counts of Object.values(health.queues)) expect(counts).toEqual({ ok: true, waiting: count, active: count, delayed: count, failed: count });
    expect(health.queues.deadlines).toEqual(idle);
    expect(health.queues[outboxQueueOf(health)]).toEqual(idle);
  });

  it('counts waiting and delayed jobs, pending messages and dead letters', async () => {
    const app = await startTestApp({ roster: false, worker: false });
    apps.push(app);
    const { database } = app.daiban;
    const note = (text: string) => ({ channel: 'simulator', recipient: 'someone', room: null, text, kind: 'notification' as const });
    const ids = database.write(() => insertOutbox(database, [note('一'), note('二'), note('三')], START));
    // No worker in this process: the sweep queues them and they wait.
    expect(await app.daiban.sweep()).toBe(3);
    database.write(() => markOutboxFailed(database, ids[0]!, 'refused', 6, true));
    await app.daiban.alerts.scheduler.queue.add(
      'alert',
      { errandId: 1, version: 1, deadlineId: 1, dueAt: START, step: 'e1', at: START },
      { jobId: 'alert-health-check', delay: 3_600_000 },
    );

    const health = (await app.daiban.server.inject({ method: 'GET', url: '/healthz', headers: auth })).json<Health>();
    expect(health.status).toBe('ok');
    expect(health.outbox).toEqual({ ok: true, pending: 2, dead: 1 });
    expect(health.queues[outboxQueueOf(health)]).toEqual({ ...idle, waiting: 3 });
    expect(health.queues.deadlines).toEqual({ ...idle, delayed: 1 });
  });

  it('is 200 "degraded" and says which part is down when Redis does not answer, within a few seconds, still counting the outbox', async () => {
    const app = await startTestApp({ roster: false, worker: false, redisUrl: 'redis://127.0.0.1:1' });
    apps.push(app);
    const started = Date.now();
    const r = await app.daiban.server.inject({ method: 'GET', url: '/healthz', headers: auth });
    expect(Date.now() - started).toBeLessThan(3000);
    // The bot keeps taking messages without Redis: a load balancer must not take it out of service.
    expect(r.statusCode).toBe(200);
    const health = r.json<Health>();
    expect(health).toMatchObject({ status: 'degraded', checks: { database: { ok: true }, redis: { ok: false } }, outbox: { ok: true, pending: 0, dead: 0 } });
    expect(Object.keys(health.queues)).toContain('deadlines');
    for (const counts of Object.values(health.queues)) expect(counts).toEqual({ ok: false, error: expect.any(String) as string });
  });

  it('is 503 "unavailable" when the database does not answer', async () => {
    const app = await startTestApp({ roster: false, worker: false });
    apps.push(app);
    const { sqlite } = app.daiban.database;
    const realPrepare = sqlite.prepare.bind(sqlite);
    // The database check fails as a closed or corrupt database would.
    sqlite.prepare = (source: string) => {
      if (source === 'SELECT 1') throw new Error('database disk image is malformed');
      return realPrepare(source);
    };
    try {
      const r = await app.daiban.server.inject({ method: 'GET', url: '/healthz', headers: auth });
      expect(r.statusCode).toBe(503);
      expect(r.json<Health>()).toMatchObject({
        status: 'unavailable',
        checks: { database: { ok: false, error: 'database disk image is malformed' }, redis: { ok: true } },
      });
    } finally {
      sqlite.prepare = realPrepare;
    }
  });
});
