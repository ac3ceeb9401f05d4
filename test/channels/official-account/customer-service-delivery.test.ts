import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSignature } from '../../../src/channels/wechat/signature.ts';
import { insertOutbox, outboxById } from '../../../src/db/outbox-repository.ts';
import { startFakeWeChatApi, type FakeWeChatApi } from '../../support/fake-wechat-api.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { until } from '../../support/until.ts';

/** End to end: a follower talks to the bot over the webhook; a later notification reaches them through the (fake) customer-service API. */

const TOKEN = 'oaTestToken42';
const APPID = 'wx49f0ab532d5d035a';
const SECRET = 'fakeSecret0123456789abcdef012345';

let fake: FakeWeChatApi;
let app: TestApp;
beforeAll(async () => {
  fake = await startFakeWeChatApi({ appId: APPID, secret: SECRET });
  app = await startTestApp({ env: { WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_APPID: APPID, WECHAT_OA_SECRET: SECRET, WECHAT_API_BASE: fake.url } });
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

let nonces = 0;
async function push(openid: string, content: string, msgId: string) {
  const at = String(Math.floor(app.clock.now / 1000));
  const nonce = String(200000 + ++nonces);
  const query = new URLSearchParams({ signature: computeSignature(TOKEN, at, nonce), timestamp: at, nonce }).toString();
  const body =
    `<xml><ToUserName><![CDATA[gh_daiban]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName>` +
    `<CreateTime>${at}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
  const r = await app.daiban.server.inject({
    method: 'POST',
    url: `/wechat/official-account?${query}`,
    headers: { 'content-type': 'text/xml' },
    payload: body,
  });
  expect(r.statusCode).toBe(200);
}

function notify(openid: string, text: string): number {
  const db = app.daiban.database;
  const [id] = db.write(() => insertOutbox(db, [{ channel: 'official-account', recipient: openid, room: null, text, kind: 'notification' }], app.clock.now));
  return id!;
}

describe('Official Account notifications through the customer-service API', () => {
  it('delivers a notification to a follower who talked to the bot, exactly once, and marks it sent', async () => {
    const openid = 'oFollower0000000000000001';
    await push(openid, '你好', '25000000000000001');
    // The passive reply went back in the webhook's answer, not through the API.
    expect(fake.requests.filter((r) => r.endpoint === 'custom_send')).toEqual([]);

    const text = '【代办】您的申请已由村代办员接单，我们会尽快为您办理。';
    const id = notify(openid, text);
    await app.daiban.sweep();
    await until(() => outboxById(app.daiban.database, id)?.status === 'sent', 'the notification to be marked sent', 10_000);
    // Give a duplicate (a second sweep, a second job) the chance to show up.
    await app.daiban.sweep();
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.delivered().filter((d) => d.touser === openid)).toEqual([
      { touser: openid, content: text, accessToken: expect.stringMatching(/^fake-token-/) as string },
    ]);
    expect(fake.requests.filter((r) => r.endpoint === 'stable_token')).toHaveLength(1);
  });

  it('parks a notification refused with 45015 as a dead letter naming the code and every route tried, when no route is left for an unregistered follower', async () => {
    const openid = 'oFollower0000000000000002';
    await push(openid, '你好', '25000000000000002');
    fake.failNext(45015, 1);
    const before = fake.requests.filter((r) => r.endpoint === 'custom_send').length;
    const id = notify(openid, '【代办】您的材料已办结。');
    await app.daiban.sweep();
    await until(() => outboxById(app.daiban.database, id)?.status === 'dead', 'the notification to become a dead letter', 10_000);
    const row = outboxById(app.daiban.database, id)!;
    expect(row.lastError).toMatch(/errcode 45015/);
    expect(row.lastError).toMatch(/template: none configured.*subscribe: none configured.*agent_task: the follower is not registered/);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.requests.filter((r) => r.endpoint === 'custom_send').length - before).toBe(1);
    expect(fake.delivered().filter((d) => d.touser === openid)).toEqual([]);
  });
});
