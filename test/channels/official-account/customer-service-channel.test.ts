import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createAccessTokens } from '../../../src/channels/official-account/access-token.ts';
import { createCustomerServiceChannel, splitMessage } from '../../../src/channels/official-account/customer-service-channel.ts';
import { PermanentDeliveryError, type OutboundChannel, type OutboundMessage } from '../../../src/channels/outbound-channel.ts';
import { startFakeWeChatApi, type FakeWeChatApi } from '../../support/fake-wechat-api.ts';

const APPID = 'wx49f0ab532d5d035a';
const SECRET = 'fakeSecret0123456789abcdef012345';
const OPENID = 'oResident0000000000000001';

let fake: FakeWeChatApi;
let redis: Redis;
let channel: OutboundChannel;
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
  const prefix = `cs${process.pid}x${++n}x${Date.now().toString(36)}`;
  channel = createCustomerServiceChannel({ tokens: createAccessTokens({ redis, prefix, appId: APPID, secret: SECRET, apiBase: fake.url }), apiBase: fake.url });
});

const message = (text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({ outboxId: n, dedupeKey: `daiban-outbox-${n}`, recipient: OPENID, room: null, text, ...extra });
const calls = (endpoint: 'stable_token' | 'custom_send') => fake.requests.filter((r) => r.endpoint === endpoint);

describe('customer-service channel', () => {
  it('sends a text to the OpenID in the real request format', async () => {
    await channel.send(message('您的代办已被接单。'));
    expect(channel.name).toBe('official-account');
    expect(calls('custom_send').map((r) => r.body)).toEqual([{ touser: OPENID, msgtype: 'text', text: { content: '您的代办已被接单。' } }]);
    expect(fake.delivered()).toEqual([{ touser: OPENID, content: '您的代办已被接单。', accessToken: calls('stable_token')[0]!.answer.access_token }]);
  });

  it('on 40001 invalidates the token, fetches a new one and sends again once', async () => {
    await channel.send(message('第一条'));
    fake.invalidateTokens();
    await channel.send(message('第二条'));
    const sends = calls('custom_send');
    expect(sends.map((r) => r.answer.errcode)).toEqual([0, 40001, 0]);
    expect(calls('stable_token')).toHaveLength(2);
    expect(sends[2]!.query.access_token).not.toBe(sends[1]!.query.access_token);
    expect(fake.delivered().map((d) => d.content)).toEqual(['第一条', '第二条']);
  });

  it('gives up (retryably) when the fresh token is refused too, without a third try', async () => {
    await channel.send(message('预热'));
    fake.invalidateTokens();
    fake.failNext(42001, 1);
    const error = await channel.send(message('再试')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(calls('custom_send').map((r) => r.answer.errcode)).toEqual([0, 40001, 42001]);
  });

  it.each([45015, 45047, 43004, 48002])('turns errcode %i into a PermanentDeliveryError naming the code', async (errcode) => {
    fake.failNext(errcode, 1);
    const error = await channel.send(message('通知')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect((error as Error).message).toContain(`errcode ${errcode}`);
    expect(fake.delivered()).toEqual([]);
  });

  it('treats 45009 and an unreachable API as retryable errors', async () => {
    fake.failNext(45009, 1);
    const busy = await channel.send(message('频率')).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(Error);
    expect(busy).not.toBeInstanceOf(PermanentDeliveryError);
    expect((busy as Error).message).toContain('45009');

    const offline = createCustomerServiceChannel({
      tokens: { get: async () => 'token', invalidate: async () => undefined },
      apiBase: 'http://127.0.0.1:9',
      timeoutMs: 1000,
    });
    const unreachable = await offline.send(message('网络')).catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(Error);
    expect(unreachable).not.toBeInstanceOf(PermanentDeliveryError);
    expect((unreachable as Error).message).toMatch(/unreachable/);
  });

  it('refuses a room message without calling WeChat', async () => {
    const error = await channel.send(message('群消息', { room: 'room-1', recipient: null })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(fake.requests).toEqual([]);
  });

  it('splits a long text at line boundaries into several sends, in order, each within 2,000 bytes', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `第${i + 1}行：请携带身份证原件和户口本到村委会办理。`);
    const text = lines.join('\n');
    expect(Buffer.byteLength(text)).toBeGreaterThan(4000);
    await channel.send(message(text));
    const parts = fake.delivered().map((d) => d.content);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(2000);
    expect(parts.join('\n')).toBe(text);
    expect(parts.every((p) => p.split('\n').every((line) => lines.includes(line)))).toBe(true);
  });

  it('on a retry after a failed part sends only the parts WeChat has not taken', async () => {
    const text = Array.from({ length: 100 }, (_, i) => `第${i + 1}行：材料清单与办理说明。`).join('\n');
    const parts = splitMessage(text);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    // The first part goes through; the second meets a busy API (−1).
    fake.failNext(-1, 1, 'custom_send', 1);
    await expect(channel.send(message(text))).rejects.toThrow(/errcode -1/);
    expect(fake.delivered().map((d) => d.content)).toEqual(parts.slice(0, 1));
    await channel.send(message(text));
    expect(fake.delivered().map((d) => d.content)).toEqual(parts);
  });
});
