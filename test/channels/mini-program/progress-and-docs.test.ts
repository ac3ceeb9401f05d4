import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schemas from '../../../src/http/routes/mini-program-schemas.ts';
import { startMiniProgram, type MiniProgramHarness } from '../../support/mini-program.ts';

/** The anonymous progress lookup (rate-limited through Redis), and the OpenAPI document at /docs. */

let mp: MiniProgramHarness;
let receipt: string;
let noPhoneReceipt: string;

const fileFor = (token: string, key: string) => mp.fileHomestead(token, key);

beforeAll(async () => {
  mp = await startMiniProgram();
  receipt = await fileFor(
    await mp.resident('o-progress-1', { name: '何小梅', villageCode: 'qs-lw', phone: '13700001234', livingAway: true }),
    'progress-key-1',
  );
  noPhoneReceipt = await fileFor(await mp.resident('o-progress-2', { name: '韩梅', villageCode: 'qs-lw', phone: null }), 'progress-key-2');
});
afterAll(async () => {
  await mp.close();
});

let ipCounter = 0;
const lookup = (query: string, ip = `10.0.0.${++ipCounter}`) =>
  mp.app.daiban.server.inject({ method: 'GET', url: `/api/mp/progress?${query}`, remoteAddress: ip });

describe('GET /api/mp/progress', () => {
  it('shows status and a coarse timeline by receipt number and the phone’s last four digits, names masked, without login', async () => {
    await mp.app.say('agent-sun', `接单 ${receipt}`, 'lw-agents@chatroom');
    const r = await lookup(`receipt=${receipt}&phoneLast4=1234`);
    expect(r.statusCode).toBe(200);
    schemas.progressAnswer.parse(r.json());
    expect(r.json()).toMatchObject({
      receiptNo: receipt,
      itemName: '农村宅基地和建房申请',
      villageName: '柳湾社区',
      requester: '何*梅',
      status: 'claimed',
      timeline: [
        { date: '2026-12-01', event: 'request', text: '提交了申请' },
        { date: '2026-12-01', event: 'claim', text: '代办员接单' },
      ],
    });
    expect(r.body).not.toContain('何小梅');
    expect(r.body).not.toContain('13700001234');
    // Forgiving about how the number is typed.
    expect((await lookup(`receipt=${receipt.slice(2)}&phoneLast4=1234`)).statusCode).toBe(200);
  });

  it('answers the same 404 whichever part is wrong', async () => {
    const wrongPhone = await lookup(`receipt=${receipt}&phoneLast4=4321`);
    const wrongReceipt = await lookup('receipt=DB261201998&phoneLast4=1234');
    const noPhone = await lookup(`receipt=${noPhoneReceipt}&phoneLast4=0000`);
    for (const r of [wrongPhone, wrongReceipt, noPhone]) {
      expect(r.statusCode).toBe(404);
      expect(r.json()).toEqual({ error: 'errand_not_found', message: 'No errand with this receipt number and phone.' });
    }
    expect((await lookup(`receipt=hello&phoneLast4=1234`)).statusCode).toBe(400);
    expect((await lookup(`receipt=${receipt}&phoneLast4=12a4`)).statusCode).toBe(400);
  });

  it('locks one address out of a receipt after five wrong guesses, but not the owner at another address', async () => {
    const ip = '198.51.100.7';
    for (let i = 0; i < 5; i++) expect((await lookup(`receipt=${receipt}&phoneLast4=${1000 + i}`, ip)).statusCode).toBe(404);
    // Even the right digits: the guesser is locked out for this receipt.
    const locked = await lookup(`receipt=${receipt}&phoneLast4=1234`, ip);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ error: 'too_many_requests' });
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(3000);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // The owner from a new address still gets the answer.
    expect((await lookup(`receipt=${receipt}&phoneLast4=1234`)).statusCode).toBe(200);
  });

  it('locks a receipt for everyone after twenty wrong guesses from many addresses, for up to a day', async () => {
    // noPhoneReceipt had one wrong guess above.
    for (let i = 0; i < 19; i++) expect((await lookup(`receipt=${noPhoneReceipt}&phoneLast4=${2000 + i}`)).statusCode).toBe(404);
    const locked = await lookup(`receipt=${noPhoneReceipt}&phoneLast4=9999`);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(80_000);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(86_400);
    // Another receipt is not affected.
    expect((await lookup(`receipt=${receipt}&phoneLast4=1234`)).statusCode).toBe(200);
  });

  it('limits one address to 30 lookups in ten minutes', async () => {
    const ip = '192.0.2.77';
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await lookup(`receipt=${receipt}&phoneLast4=1234`, ip)).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
    const limited = await lookup(`receipt=${receipt}&phoneLast4=1234`, ip);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await lookup(`receipt=${receipt}&phoneLast4=1234`, '192.0.2.78')).statusCode).toBe(200);
  });
});

describe('behind a trusted reverse proxy (HTTP_TRUST_PROXY)', () => {
  it('limits the client’s address from X-Forwarded-For, not the proxy’s', async () => {
    const proxied = await startMiniProgram({ HTTP_TRUST_PROXY: '127.0.0.1' });
    try {
      const token = await proxied.resident('o-proxy-1', { name: '何小梅', villageCode: 'qs-lw', phone: '13700005678' });
      const version = (await proxied.call('GET', '/api/mp/entrustment?itemId=homestead-building-application', token)).json<{
        entrustment: { version: string };
      }>().entrustment.version;
      const filed = await proxied.call(
        'POST',
        '/api/mp/errands',
        token,
        { itemId: 'homestead-building-application', entrustment: { confirmed: true, version } },
        { 'idempotency-key': 'proxy-key-1' },
      );
      const url = `/api/mp/progress?receipt=${filed.json<{ receiptNo: string }>().receiptNo}&phoneLast4=5678`;
      const via = (client: string) =>
        proxied.app.daiban.server.inject({ method: 'GET', url, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } });
      for (let i = 0; i < 30; i++) expect((await via('203.0.113.1')).statusCode).toBe(200);
      expect((await via('203.0.113.1')).statusCode).toBe(429);
      // Another client behind the same proxy is not affected.
      expect((await via('203.0.113.2')).statusCode).toBe(200);
    } finally {
      await proxied.close();
    }
  });
});

describe('/docs', () => {
  it('serves the OpenAPI document listing the mini-program routes with their schemas', async () => {
    const r = await mp.app.daiban.server.inject({ method: 'GET', url: '/docs/json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json<{
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[] } }> };
            parameters?: { name: string; in: string }[];
            security?: unknown[];
          }
        >
      >;
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/mp/login',
        'GET /api/mp/me',
        'POST /api/mp/registration',
        'GET /api/mp/entrustment',
        'GET /api/mp/errands',
        'POST /api/mp/errands',
        'GET /api/mp/errands/{receiptNo}',
        'POST /api/mp/errands/{receiptNo}/rating',
        'POST /api/mp/errands/{receiptNo}/withdrawal',
        'GET /api/mp/errands/{receiptNo}/entrustment',
        'POST /api/mp/errands/{receiptNo}/entrustment',
        'POST /api/mp/complaints',
        'POST /api/mp/agent-contact',
        'GET /api/mp/subscriptions',
        'POST /api/mp/subscriptions',
        'POST /api/mp/phone',
        'GET /api/mp/progress',
        'GET /api/errands/{receiptNo}',
        'GET /api/errands/{receiptNo}/photos/{photoId}',
        'GET /api/admin/deliveries',
        'GET /api/admin/outbox/{id}',
        'POST /api/admin/bind-codes',
        'PUT /api/admin/roster',
        'GET /api/catalog/items',
      ]),
    );
    // Only described routes: no queue board, no swagger-ui assets.
    expect(routes.some((r) => r.includes('/admin/queues') || r.includes('/docs'))).toBe(false);
    expect(doc.paths['/api/errands/{receiptNo}']?.get?.security).toEqual([{ adminToken: [] }]);
    const form = doc.paths['/api/mp/errands']?.post;
    const schema = form?.requestBody?.content['application/json']?.schema;
    expect(Object.keys(schema?.properties ?? {})).toEqual(expect.arrayContaining(['itemId', 'forWhom', 'beneficiary', 'privacyConsent', 'entrustment']));
    expect(schema?.required).toEqual(expect.arrayContaining(['itemId', 'entrustment']));
    expect(form?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'idempotency-key', in: 'header' })]));
    expect(form?.security).toEqual([{ miniProgramSession: [] }]);
    expect(doc.paths['/api/mp/progress']?.get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['receipt', 'phoneLast4']));
    const login = doc.paths['/api/mp/login']?.post as unknown as {
      responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }>;
    };
    expect(Object.keys(login.responses['200']?.content['application/json']?.schema.properties ?? {})).toEqual([
      'token',
      'expiresAt',
      'registered',
      'person',
      'verifiedPhone',
    ]);
    expect(login.responses['400']?.content['application/json']?.schema.properties).toHaveProperty('error');
  });

  it('serves swagger-ui from the package’s own files, nothing from the internet', async () => {
    const page = await mp.app.daiban.server.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).not.toMatch(/(src|href)=["']https?:/);
    const bundle = await mp.app.daiban.server.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.body.length).toBeGreaterThan(100_000);
  });
});
