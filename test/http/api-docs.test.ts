import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../support/test-app.ts';

/** /docs documents every route whatever is configured; a channel not configured answers like an unknown route. */

let app: TestApp;
beforeAll(async () => {
  // No WeChat channel configured: no Official Account, no WeCom app, no mini-program.
  app = await startTestApp({ roster: false, worker: false });
});
afterAll(async () => {
  await app.close();
});

const inject = (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  app.daiban.server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

describe('/docs on a server with no channel configured', () => {
  it('lists the mini-program API, the Official Account webhook and the WeCom callback', async () => {
    expect(app.config.officialAccount).toBeNull();
    expect(app.config.wecom).toBeNull();
    expect(app.config.miniProgram).toBeNull();
    const r = await inject('GET', '/docs/json');
    expect(r.statusCode).toBe(200);
    const doc = r.json<{ paths: Record<string, Record<string, { tags?: string[]; parameters?: { name: string; in: string }[] }>> }>();
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/mp/login',
        'GET /api/mp/me',
        'POST /api/mp/errands',
        'GET /api/mp/errands/{receiptNo}',
        'GET /api/mp/progress',
        'GET /wechat/official-account',
        'POST /wechat/official-account',
        'GET /wechat/wecom',
        'POST /wechat/wecom',
      ]),
    );
    expect(doc.paths['/wechat/official-account']?.post?.tags).toEqual(['wechat']);
    expect(doc.paths['/wechat/official-account']?.post?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['signature', 'timestamp', 'nonce', 'msg_signature']),
    );
    expect(doc.paths['/wechat/wecom']?.get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['msg_signature', 'echostr']));
  });

  it('answers their routes 404 not_found, before reading or validating anything', async () => {
    const calls: [method: 'GET' | 'POST', url: string, payload?: unknown, headers?: Record<string, string>][] = [
      ['POST', '/api/mp/login', { code: 'x' }],
      ['POST', '/api/mp/login', 'not json', { 'content-type': 'application/json' }],
      ['GET', '/api/mp/progress?receipt=DB261201001&phoneLast4=1234'],
      ['GET', '/api/mp/me', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` }],
      ['GET', '/wechat/official-account?signature=x&timestamp=1&nonce=1&echostr=hi'],
      ['POST', '/wechat/official-account?signature=x&timestamp=1&nonce=1', '<xml></xml>', { 'content-type': 'text/xml' }],
      ['GET', '/wechat/wecom?msg_signature=x&timestamp=1&nonce=1&echostr=hi'],
      ['POST', '/wechat/wecom', '<xml></xml>', { 'content-type': 'text/xml' }],
    ];
    for (const [method, url, payload, headers] of calls) {
      const r = await inject(method, url, payload, headers);
      expect(r.statusCode, `${method} ${url}`).toBe(404);
      expect(r.json(), `${method} ${url}`).toEqual({ error: 'not_found', message: `No route ${method} ${url.split('?')[0] ?? ''}` });
    }
  });
});
