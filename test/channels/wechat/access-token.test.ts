import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createAccessTokens, type AccessTokenOptions } from '../../../src/channels/wechat/access-token.ts';
import { WeChatApiError } from '../../../src/channels/wechat/wechat-api.ts';
import { startFakeWeChatApi, type FakeWeChatApi } from '../../support/fake-wechat-api.ts';

const APPID = 'wx49f0ab532d5d035a';
const SECRET = 'fakeSecret0123456789abcdef012345';

let fake: FakeWeChatApi;
const connections: Redis[] = [];
const connect = () => {
  const redis = new Redis(inject('redisUrl'));
  connections.push(redis);
  return redis;
};
let prefix: string;
let n = 0;

beforeAll(async () => {
  // A slow stable_token, so that concurrent refreshers really overlap.
  fake = await startFakeWeChatApi({ appId: APPID, secret: SECRET, tokenDelayMs: 150 });
});
afterAll(async () => {
  await fake.close();
  for (const r of connections) r.disconnect();
});
beforeEach(() => {
  fake.requests.length = 0;
  prefix = `tok${process.pid}x${++n}x${Date.now().toString(36)}`;
});

const manager = (extra: Partial<AccessTokenOptions> = {}) =>
  createAccessTokens({ redis: connect(), prefix, appId: APPID, secret: SECRET, apiBase: fake.url, ...extra });
const tokenCalls = () => fake.requests.filter((r) => r.endpoint === 'stable_token');
const tokenKey = () => `${prefix}:daiban:wechat-oa:${APPID}:access-token`;

describe('access token manager', () => {
  it('fetches a stable token once and serves it from the Redis cache with a TTL under expires_in', async () => {
    const tokens = manager();
    const first = await tokens.get();
    const second = await tokens.get();
    expect(second).toBe(first);
    expect(tokenCalls()).toHaveLength(1);
    expect(tokenCalls()[0]!.body).toEqual({ grant_type: 'client_credential', appid: APPID, secret: SECRET, force_refresh: false });
    const redis = connect();
    expect(await redis.get(tokenKey())).toBe(first);
    const ttl = await redis.pttl(tokenKey());
    expect(ttl).toBeGreaterThan(6800_000);
    expect(ttl).toBeLessThanOrEqual(6900_000);
    // Another process (another manager) reads the cache instead of fetching.
    expect(await manager().get()).toBe(first);
    expect(tokenCalls()).toHaveLength(1);
  });

  it('lets only one of two processes refreshing at once call stable_token; the other waits and re-reads', async () => {
    const [a, b] = [manager({ pollMs: 20 }), manager({ pollMs: 20 })];
    const [ta, tb] = await Promise.all([a.get(), b.get()]);
    expect(ta).toBe(tb);
    expect(tokenCalls()).toHaveLength(1);
  });

  it('drops the cached token only if it is still the one that failed, then fetches once more', async () => {
    const tokens = manager();
    const token = await tokens.get();
    await tokens.invalidate('some-older-token');
    expect(await connect().get(tokenKey())).toBe(token);
    expect(tokenCalls()).toHaveLength(1);

    fake.invalidateTokens();
    await tokens.invalidate(token);
    const fresh = await tokens.get();
    expect(fresh).not.toBe(token);
    expect(tokenCalls()).toHaveLength(2);
    expect(tokenCalls()[1]!.body.force_refresh).toBe(false);
  });

  it('reports a refused stable_token as a WeChat API error and caches nothing', async () => {
    fake.failNext(40125, 1, 'stable_token');
    const error = await manager()
      .get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeChatApiError);
    expect((error as WeChatApiError).errcode).toBe(40125);
    expect(await connect().exists(tokenKey())).toBe(0);
  });
});
