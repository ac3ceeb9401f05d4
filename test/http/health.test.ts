import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const apps: TestApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

describe('GET /healthz', () => {
  it('is 200 when the database and Redis answer', async () => {
    const app = await startTestApp({ roster: false, worker: false });
    apps.push(app);
    const r = await app.daiban.server.inject({ method: 'GET', url: '/healthz' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'ok', checks: { database: { ok: true }, redis: { ok: true } } });
  });

  it('is 503 and says which part is down when Redis does not answer', async () => {
    const app = await startTestApp({ roster: false, worker: false, redisUrl: 'redis://127.0.0.1:1' });
    apps.push(app);
    const r = await app.daiban.server.inject({ method: 'GET', url: '/healthz' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({ status: 'unavailable', checks: { database: { ok: true }, redis: { ok: false } } });
  });
});
