import { Redis } from 'ioredis';
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgressLimiter } from '../../src/channels/mini-program/progress-limiter.ts';
import { startMiniProgram, type MiniProgramHarness } from '../support/mini-program.ts';

/**
 * The anonymous progress lookup under simultaneous guesses, over real connections: each guess is
 * counted before it is answered, so thirty at once on one receipt get five answers and twenty-five
 * 429s; the owner at another address still gets in. The same holds for the per-process memory
 * limiter that stands in while Redis is away.
 */

let mp: MiniProgramHarness;
let base = '';
let receipt = '';

beforeAll(async () => {
  mp = await startMiniProgram();
  const token = await mp.resident('o-guess-1', { name: '何小梅', villageCode: 'qs-lw', phone: '13700004321' });
  receipt = await mp.fileHomestead(token, 'guess-key-1');
  base = await mp.app.daiban.server.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await mp.close();
});

/** A client at its own loopback address, with as many connections as it likes. */
const client = (from: string) => new Agent({ keepAlive: false, maxSockets: 64, localAddress: from });
const look = (agent: Agent, digits: string) =>
  new Promise<number>((resolve, reject) => {
    const r = httpRequest(`${base}/api/mp/progress?receipt=${receipt}&phoneLast4=${digits}`, { agent }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
    r.once('error', reject);
    r.end();
  });

describe('thirty simultaneous guesses on one receipt', () => {
  it('get five answers and twenty-five 429s; the owner at another address is answered', async () => {
    const guesser = client('127.0.0.21');
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => look(guesser, String(5000 + i))));
    expect(statuses.filter((s) => s === 404)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    expect(await look(guesser, '4321')).toBe(429);
    expect(await look(client('127.0.0.22'), '4321')).toBe(200);
    guesser.destroy();
  });
});

describe('a receipt’s tracking code', () => {
  it('opens the progress without the phone; a neighbouring receipt number with the same code does not', async () => {
    const token = await mp.login('o-guess-1');
    const mine = (await mp.call('GET', '/api/mp/errands', token)).json<{ errands: { receiptNo: string; trackingCode: string }[] }>().errands;
    const code = mine.find((e) => e.receiptNo === receipt)?.trackingCode ?? '';
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    const open = (r: string, c: string, ip: string) =>
      mp.app.daiban.server.inject({ method: 'GET', url: `/api/mp/progress?receipt=${r}&code=${c}`, remoteAddress: ip });
    const shown = await open(receipt, code, '198.51.100.40');
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ receiptNo: receipt, requester: '何*梅' });
    // Walking the sequential numbers with a code that is not theirs finds nothing (and counts as guesses).
    const next = receipt.replace(/\d{3}$/, (n) => String(Number(n) + 1).padStart(3, '0'));
    expect((await open(next, code, '198.51.100.41')).statusCode).toBe(404);
    expect((await open(receipt, 'AAAAAAAA', '198.51.100.41')).statusCode).toBe(404);
    // One of phone digits or code, not both, not neither.
    expect((await mp.app.daiban.server.inject({ method: 'GET', url: `/api/mp/progress?receipt=${receipt}` })).statusCode).toBe(400);
    expect((await mp.app.daiban.server.inject({ method: 'GET', url: `/api/mp/progress?receipt=${receipt}&code=${code}&phoneLast4=4321` })).statusCode).toBe(
      400,
    );
  });
});

describe('the memory limiter that stands in while Redis is away', () => {
  it('counts simultaneous guesses just as atomically', async () => {
    const away = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    away.on('error', () => undefined);
    try {
      const limiter = createProgressLimiter(away, 'away');
      const results = await Promise.allSettled(Array.from({ length: 30 }, () => limiter.admit('203.0.113.9', 'DB261201001')));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused).toHaveLength(25);
      expect(refused.every((r) => (r.reason as { code?: string }).code === 'too_many_requests')).toBe(true);
    } finally {
      away.disconnect();
    }
  });
});
