import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMiniProgram, type MiniProgramHarness } from '../../support/mini-program.ts';

/** Whatever a client sends, the mini-program API answers a 4xx with a message — never a 5xx. */

let mp: MiniProgramHarness;
let token: string;
beforeAll(async () => {
  mp = await startMiniProgram();
  token = await mp.resident('o-bad-input');
});
afterAll(async () => {
  await mp.close();
});

const garbage: unknown[] = [null, [], 'text', 42, true, { '': '' }, { itemId: { $gt: '' } }, { score: '1' }, { results: [] }, { name: 'x'.repeat(5000) }];
const routes: [method: 'POST' | 'GET', url: string][] = [
  ['POST', '/api/mp/login'],
  ['POST', '/api/mp/registration'],
  ['POST', '/api/mp/errands'],
  ['POST', '/api/mp/errands/DB261201001/rating'],
  ['POST', '/api/mp/subscriptions'],
];
const queries = [
  '/api/mp/entrustment',
  '/api/mp/entrustment?itemId=',
  '/api/mp/entrustment?itemId=a&itemId=b',
  '/api/mp/entrustment?itemId=homestead-building-application&forWhom=family',
  '/api/mp/entrustment?itemId=homestead-building-application&forWhom=nobody',
  '/api/mp/errands/%E4%BD%A0%E5%A5%BD',
  '/api/mp/errands/DB269999001',
  '/api/mp/progress',
  '/api/mp/progress?receipt=DB261201001',
  '/api/mp/progress?receipt=DB261201001&phoneLast4=12345',
  '/api/mp/progress?receipt=DB261201001&phoneLast4=1234&extra=1',
];

describe('bad input', () => {
  it.each(routes)('%s %s answers every malformed body with a 4xx and a message', async (method, url) => {
    for (const body of garbage) {
      const r = await mp.call(method, url, token, body === null ? 'null' : body, { 'content-type': 'application/json', 'idempotency-key': 'bad-input-key-1' });
      expect([r.statusCode, body]).toEqual([expect.toSatisfy((s: number) => s >= 400 && s < 500), body]);
      expect(r.json<{ error: string; message: string }>().message.length).toBeGreaterThan(0);
    }
  });

  it.each(queries)('GET %s answers a 4xx with a message', async (url) => {
    const r = await mp.call('GET', url, token);
    expect(r.statusCode).toBeGreaterThanOrEqual(400);
    expect(r.statusCode).toBeLessThan(500);
    expect(r.json<{ message: string }>().message.length).toBeGreaterThan(0);
  });
});
