import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createAccessTokens, type AccessTokens } from '../../../src/channels/wechat/access-token.ts';
import { sendCustomerServiceText } from '../../../src/channels/official-account/customer-service-api.ts';
import { WeChatApiError } from '../../../src/channels/wechat/wechat-api.ts';
import { startFakeWeChatApi, type FakeWeChatApi } from '../../support/fake-wechat-api.ts';

/** One customer-service text against the fake WeChat API: the request format, the token refresh, the errors. */

const APPID = 'wx49f0ab532d5d035a';
const SECRET = 'fakeSecret0123456789abcdef012345';
const OPENID = 'oResident0000000000000001';

let fake: FakeWeChatApi;
let redis: Redis;
let tokens: AccessTokens;
let n = 0;

beforeAll(async () => {
  fake = await startFakeWeChatApi({ appId: APPID, secret: SECRET });
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  await fake.close();
  redis.disconnect();
});
beforeEach(() => {
  fake.requests.length = 0;
  tokens = createAccessTokens({ redis, prefix: `cs${process.pid}x${++n}x${Date.now().toString(36)}`, appId: APPID, secret: SECRET, apiBase: fake.url });
});

const send = (text: string) => sendCustomerServiceText({ tokens, apiBase: fake.url }, OPENID, text);
const calls = (endpoint: 'stable_token' | 'custom_send') => fake.requests.filter((r) => r.endpoint === endpoint);

describe('a customer-service text', () => {
  it('goes to the OpenID in the real request format', async () => {
    await send('您的代办已被接单。');
    expect(calls('custom_send').map((r) => r.body)).toEqual([{ touser: OPENID, msgtype: 'text', text: { content: '您的代办已被接单。' } }]);
    expect(fake.delivered()).toEqual([{ touser: OPENID, content: '您的代办已被接单。', accessToken: calls('stable_token')[0]!.answer.access_token }]);
  });

  it('on 40001 invalidates the token, fetches a new one and sends again once', async () => {
    await send('第一条');
    fake.invalidateTokens();
    await send('第二条');
    const sends = calls('custom_send');
    expect(sends.map((r) => r.answer.errcode)).toEqual([0, 40001, 0]);
    expect(calls('stable_token')).toHaveLength(2);
    expect(sends[2]!.query.access_token).not.toBe(sends[1]!.query.access_token);
    expect(fake.delivered().map((d) => d.content)).toEqual(['第一条', '第二条']);
  });

  it('gives up when the fresh token is refused too, without a third try', async () => {
    await send('预热');
    fake.invalidateTokens();
    fake.failNext(42001, 1);
    await expect(send('再试')).rejects.toThrow(WeChatApiError);
    expect(calls('custom_send').map((r) => r.answer.errcode)).toEqual([0, 40001, 42001]);
  });

  it("names WeChat's errcode, and says when the API cannot be reached", async () => {
    fake.failNext(45009, 1);
    const busy = await send('频率').catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(WeChatApiError);
    expect((busy as WeChatApiError).errcode).toBe(45009);
    const offline = await sendCustomerServiceText(
      { tokens: { get: async () => 'token', invalidate: async () => undefined }, apiBase: 'http://127.0.0.1:9', timeoutMs: 1000 },
      OPENID,
      '网络',
    ).catch((e: unknown) => e);
    expect(offline).toBeInstanceOf(Error);
    expect(offline).not.toBeInstanceOf(WeChatApiError);
    expect((offline as Error).message).toMatch(/unreachable/);
  });
});
