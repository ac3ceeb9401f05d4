import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { InboundMessage, InboundResult } from '../../../src/app/inbound-message.ts';
import { officialAccountEdge } from '../../../src/compose/official-account.ts';
import { PASSIVE_REPLY_MAX_BYTES } from '../../../src/channels/official-account/passive-reply.ts';
import { registerOfficialAccountRoutes } from '../../../src/http/routes/official-account-webhook.ts';
import { installZodValidation } from '../../../src/http/zod-validation.ts';
import { outboxRouteOf } from '../../../src/db/outbox-repository.ts';
import { startFakeWeChatApi, type FakeWeChatApi } from '../../support/fake-wechat-api.ts';
import { createOaClient } from '../../support/oa-client.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

/**
 * The 5-second rule: a reply not ready within the budget is answered `success` and sent through the
 * customer-service API (the fake WeChat API here); what does not fit one passive reply follows the
 * same way. The webhook runs on its own server with the real inbound handler behind a port that
 * the test slows down or lengthens.
 */

const TOKEN = 'oaBudgetToken9';
const APPID = 'wx49f0ab532d5d035a';
const SECRET = 'fakeSecret0123456789abcdef012345';
const BUDGET_MS = 200;

let fake: FakeWeChatApi;
let app: TestApp;
const servers: FastifyInstance[] = [];
beforeAll(async () => {
  fake = await startFakeWeChatApi({ appId: APPID, secret: SECRET });
  app = await startTestApp({ env: { WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_APPID: APPID, WECHAT_OA_SECRET: SECRET, WECHAT_API_BASE: fake.url } });
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await app?.close();
  await fake?.close();
});

function webhookWith(respond: (message: InboundMessage) => Promise<InboundResult>, shared?: { redis: Redis; prefix: string }) {
  const d = app.daiban;
  const edge = officialAccountEdge({
    config: app.config.officialAccount!,
    canSend: true,
    database: d.database,
    inbound: d.inbound,
    directories: d.directories,
    templates: d.templates,
    dispatch: d.outbox,
    clock: () => app.clock.now,
    logger: pino({ level: 'silent' }),
    ...(shared ? { redis: shared } : {}),
  });
  const server = Fastify();
  installZodValidation(server);
  servers.push(server);
  registerOfficialAccountRoutes(server, { ...edge, replyBudgetMs: BUDGET_MS, respond });
  return createOaClient(server, TOKEN, () => app.clock.now);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the outbox records for a follower: each reply once, with the route it really took. */
function recorded(openId: string) {
  const rows = app.daiban.database.sqlite
    .prepare<[string], { id: number; text: string; kind: string; status: string; dedupeKey: string | null }>(
      'SELECT id, text, kind, status, dedupe_key AS dedupeKey FROM outbox WHERE recipient = ? ORDER BY id',
    )
    .all(openId);
  return rows.map((r) => ({ ...r, route: outboxRouteOf(app.daiban.database, r.id)?.route ?? null }));
}
async function deliveredTo(openId: string, atLeast: number): Promise<string[]> {
  for (let i = 0; i < 200; i++) {
    const texts = fake
      .delivered()
      .filter((d) => d.touser === openId)
      .map((d) => d.content);
    if (texts.length >= atLeast) return texts;
    await sleep(50);
  }
  throw new Error(`fewer than ${atLeast} customer-service messages reached ${openId}`);
}

describe('the passive reply budget', () => {
  it('answers success when the reply is late and sends it through the customer-service API once', async () => {
    const oa = webhookWith(async (message) => {
      await sleep(BUDGET_MS * 3);
      return app.daiban.inbound.handle(message);
    });
    const openId = 'oSlow00000000000000000001';
    const started = Date.now();
    expect(await oa.text(openId, '你好', '26000000000000001')).toBe('');
    expect(Date.now() - started).toBeLessThan(BUDGET_MS * 3);
    // WeChat delivers the push again while it is being handled, and after: success, nothing twice.
    expect(await oa.text(openId, '你好', '26000000000000001')).toBe('');
    const [late] = await deliveredTo(openId, 1);
    expect(late).toMatch(/个人信息说明/);
    expect(await oa.text(openId, '你好', '26000000000000001')).toBe('');
    await app.settle();
    await sleep(200);
    expect(fake.delivered().filter((d) => d.touser === openId)).toHaveLength(1);
    // Recorded once, as what it was: a reply the customer-service API carried (never also "sent with the answer").
    const rows = recorded(openId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ text: late, kind: 'reply', status: 'sent', route: 'customer_service' });
  });

  it('sends what does not fit one passive reply through the customer-service API, once for all re-deliveries', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `第${i + 1}条：请带上户口簿、身份证原件和复印件。`).join('\n');
    const oa = webhookWith(async (message) => {
      const result = app.daiban.inbound.handle(message);
      return { ...result, replies: [...result.replies, { to: message.senderId, room: null, text: long }] };
    });
    const openId = 'oLong00000000000000000001';
    const first = await oa.text(openId, '你好', '26000000000000002');
    expect(Buffer.byteLength(first)).toBeLessThan(PASSIVE_REPLY_MAX_BYTES);
    expect(first).toMatch(/个人信息说明/);
    for (let i = 0; i < 3; i++) expect(await oa.text(openId, '你好', '26000000000000002')).toBe(first);
    const rest = await deliveredTo(openId, 1);
    await app.settle();
    await sleep(200);
    const all = fake
      .delivered()
      .filter((d) => d.touser === openId)
      .map((d) => d.content);
    expect(all).toEqual(rest);
    // Passive part + the customer-service parts are the whole reply, in order, nothing twice.
    expect(`${first}\n${all.join('\n')}`.replace(/\n+/g, '\n')).toContain('第60条');
    expect(all.join('\n')).not.toContain('个人信息说明');
    expect(all.join('\n').match(/第1条：/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(`${first}${all.join('')}`.match(/第60条/g)).toHaveLength(1);
    // The outbox holds what the answer carried and what followed, each once: no row claims the whole reply went passively.
    const rows = recorded(openId);
    expect(rows.map((r) => ({ kind: r.kind, status: r.status, route: r.route }))).toEqual([
      { kind: 'reply', status: 'sent', route: null },
      { kind: 'reply', status: 'sent', route: 'customer_service' },
    ]);
    expect(rows[1]!.text).toBe(all.join('\n'));
    expect(
      rows
        .map((r) => r.text)
        .join('')
        .match(/第60条/g),
    ).toHaveLength(1);
  });

  it('a re-delivery of a push answered late gets success on another web process too', async () => {
    const redis = new Redis(inject('redisUrl'));
    try {
      const shared = { redis, prefix: `late${process.pid}x${Date.now().toString(36)}` };
      const slow = webhookWith(async (message) => {
        await sleep(BUDGET_MS * 2);
        return app.daiban.inbound.handle(message);
      }, shared);
      const other = webhookWith(async (message) => app.daiban.inbound.handle(message), shared);
      const unshared = webhookWith(async (message) => app.daiban.inbound.handle(message));
      const openId = 'oLate2Proc000000000000001';
      expect(await slow.text(openId, '你好', '26000000000000003')).toBe('');
      await deliveredTo(openId, 1);
      // The handling committed on the slow process; WeChat's next delivery reaches another one.
      expect(await other.text(openId, '你好', '26000000000000003')).toBe('');
      // Without the shared marks that process would have answered a second copy from the inbox.
      expect(await unshared.text(openId, '你好', '26000000000000003')).toMatch(/个人信息说明/);
      await app.settle();
      expect(fake.delivered().filter((d) => d.touser === openId)).toHaveLength(1);
    } finally {
      redis.disconnect();
    }
  });
});
