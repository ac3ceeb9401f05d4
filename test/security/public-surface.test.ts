import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * What an outsider can read off the server: /healthz says the status alone (the parts, queue and
 * outbox counts and error texts need the admin token); a server without the simulator has no
 * simulator routes at all; and the request log does not keep the phone digits of a progress lookup.
 */

const log: string[] = [];
let app: TestApp;
beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      log.push(chunk.toString('utf8'));
      done();
    },
  });
  app = await startTestApp({
    env: { WECHAT_MP_APPID: 'wxa1b2c3d4e5f60718', WECHAT_MP_SECRET: 'mpsecret0123456789abcdef01234567' },
    logger: pino({ level: 'debug' }, sink),
  });
});
afterAll(async () => {
  await app.close();
});

describe('GET /healthz', () => {
  it('tells an outsider the status only, and an admin everything', async () => {
    const outsider = await app.daiban.server.inject({ method: 'GET', url: '/healthz' });
    expect(outsider.statusCode).toBe(200);
    expect(outsider.json()).toEqual({ status: 'ok' });
    const admin = await app.daiban.server.inject({ method: 'GET', url: '/healthz', headers: auth });
    expect(admin.json()).toMatchObject({ status: 'ok', checks: { database: { ok: true } }, outbox: { ok: true } });
    expect(Object.keys(admin.json<{ queues: object }>().queues).length).toBeGreaterThan(0);
    const wrong = await app.daiban.server.inject({ method: 'GET', url: '/healthz', headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.json()).toEqual({ status: 'ok' });
  });
});

describe('the request log', () => {
  it('keeps the path of a progress lookup but not its receipt or phone digits', async () => {
    await app.daiban.server.inject({ method: 'GET', url: '/api/mp/progress?receipt=DB261201077&phoneLast4=8642' });
    const lines = log.join('');
    expect(lines).toContain('/api/mp/progress?receipt=[redacted]&phoneLast4=[redacted]');
    expect(lines).not.toContain('8642');
    expect(lines).not.toContain('DB261201077');
  });
});

describe('with SIMULATOR_ENABLED=false', () => {
  it('has no simulator routes: 404 as for any unknown route, and none in /docs', async () => {
    const off = await startTestApp({ env: { SIMULATOR_ENABLED: 'false' }, roster: false, worker: false });
    try {
      const r = await off.daiban.server.inject({
        method: 'POST',
        url: '/api/simulator/messages',
        headers: auth,
        payload: { from: 'x', room: null, text: 'hi' },
      });
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({ error: 'not_found' });
      const paths = Object.keys((await off.daiban.server.inject({ method: 'GET', url: '/docs/json' })).json<{ paths: Record<string, unknown> }>().paths);
      expect(paths.length).toBeGreaterThan(10);
      expect(paths.filter((p) => p.includes('simulator'))).toEqual([]);
    } finally {
      await off.close();
    }
  });
});
