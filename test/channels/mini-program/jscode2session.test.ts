import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodeExchange } from '../../../src/channels/mini-program/jscode2session.ts';
import { AppError } from '../../../src/errors.ts';
import { startFakeJsCode2Session, type FakeJsCode2Session } from '../../support/fake-jscode2session.ts';

const appId = 'wxa1b2c3d4e5f60718';
const secret = 'mpsecret0123456789abcdef01234567';
let fake: FakeJsCode2Session;
beforeAll(async () => {
  fake = await startFakeJsCode2Session({ appId, secret });
});
afterAll(async () => {
  await fake.close();
});

const failure = async (promise: Promise<unknown>): Promise<AppError> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
};

describe('createCodeExchange', () => {
  it('gives the OpenID, the session_key and the UnionID when bound', async () => {
    const exchange = createCodeExchange({ appId, secret, apiBase: fake.url });
    expect(await exchange(fake.issueCode('o-1', 'u-1'))).toEqual({ openId: 'o-1', sessionKey: fake.sessionKeys.at(-1), unionId: 'u-1' });
    expect(await exchange(fake.issueCode('o-2'))).toMatchObject({ openId: 'o-2', unionId: null });
  });

  it('treats a wrong AppSecret as our configuration problem (503), never the client’s, without echoing WeChat’s answer', async () => {
    const exchange = createCodeExchange({ appId, secret: 'wrongsecret0123456789', apiBase: fake.url });
    const error = await failure(exchange(fake.issueCode('o-3')));
    expect(error.code).toBe('unavailable');
    expect(error.message).not.toMatch(/appsecret|40125/);
    expect(String((error.cause as Error).message)).toMatch(/40125/);
  });

  it('says "try again" when WeChat cannot be reached', async () => {
    const exchange = createCodeExchange({ appId, secret, apiBase: 'http://127.0.0.1:9', timeoutMs: 1000 });
    expect((await failure(exchange('any'))).code).toBe('wechat_busy');
  });
});
