import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, auth, startTestApp, type TestApp } from '../support/test-app.ts';

/** bull-board at /admin/queues: its page, its API and its static files, only with the admin token. */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ roster: false, worker: false });
});
afterAll(async () => {
  await app.close();
});

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
const get = (url: string, headers: Record<string, string> = {}) => app.daiban.server.inject({ method: 'GET', url, headers });

describe('/admin/queues', () => {
  it('refuses the board without the token and asks a browser for it', async () => {
    const r = await get('/admin/queues');
    expect(r.statusCode).toBe(401);
    expect(r.headers['www-authenticate']).toMatch(/^Basic realm="daiban"/);
    expect(r.body).not.toContain('<html');
  });

  it('refuses a wrong token, as Bearer and as Basic password, and the token given as Basic user name', async () => {
    expect((await get('/admin/queues', { authorization: 'Bearer not-the-token' })).statusCode).toBe(401);
    expect((await get('/admin/queues', basic('admin', 'not-the-token'))).statusCode).toBe(401);
    expect((await get('/admin/queues', basic(ADMIN_TOKEN, ''))).statusCode).toBe(401);
    expect((await get('/admin/queues', { authorization: `Basic ${ADMIN_TOKEN}` })).statusCode).toBe(401);
  });

  it('shows the board with the token as Bearer or as Basic password (any user name)', async () => {
    const bearer = await get('/admin/queues', auth);
    expect(bearer.statusCode).toBe(200);
    expect(bearer.headers['content-type']).toMatch(/text\/html/);
    expect(bearer.body).toContain('<base href="/admin/queues/"');
    // Nothing from another host (Google's fonts are blocked in mainland China; the page would hang).
    expect(bearer.body).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    const inBrowser = await get('/admin/queues', basic('county', ADMIN_TOKEN));
    expect(inBrowser.statusCode).toBe(200);
    expect(inBrowser.body).toBe(bearer.body);
  });

  it('guards the board’s API: 401 without the token, the queues by name with it', async () => {
    const refused = await get('/admin/queues/api/queues');
    expect(refused.statusCode).toBe(401);
    expect(refused.body).not.toContain('deadlines');
    const r = await get('/admin/queues/api/queues', basic('x', ADMIN_TOKEN));
    expect(r.statusCode).toBe(200);
    const queues = r.json<{ queues: { name: string; readOnlyMode: boolean }[] }>().queues;
    const names = queues.map((q) => q.name);
    expect(names).toContain('deadlines');
    expect(names.some((n) => n.startsWith('outbox'))).toBe(true);
    // Jobs derived from the database cannot be emptied from the board; the outbox's can be retried.
    expect(queues.find((q) => q.name === 'deadlines')?.readOnlyMode).toBe(true);
    expect(queues.find((q) => q.name.startsWith('outbox'))?.readOnlyMode).toBe(false);
  });

  it('guards the board’s static files too', async () => {
    const page = await get('/admin/queues', auth);
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    const asset = `/admin/queues/${script!}`;
    expect((await get(asset)).statusCode).toBe(401);
    const served = await get(asset, auth);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toMatch(/javascript/);
  });

  it('is not there when the server is built without queues', async () => {
    const { buildServer } = await import('../../src/http/build-server.ts');
    const pino = (await import('pino')).default;
    const bare = buildServer({
      logger: pino({ level: 'silent' }),
      adminToken: ADMIN_TOKEN,
      simulatorEnabled: false,
      botName: 'x',
      database: app.daiban.database,
      inbound: app.daiban.inbound,
      catalogs: app.daiban.catalogs,
      directories: app.daiban.directories,
      health: [],
      clock: () => 0,
    });
    expect((await bare.inject({ method: 'GET', url: '/admin/queues', headers: auth })).statusCode).toBe(404);
    await bare.close();
  });
});
