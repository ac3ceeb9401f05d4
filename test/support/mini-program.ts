import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { registerJsCode2Session, type JsCode2SessionFake } from './fake-jscode2session.ts';
import { startFakeWeChatApi, type FakeWeChatApi } from './fake-wechat-api.ts';
import { startTestApp, type TestApp } from './test-app.ts';

/**
 * A whole Daiban with the mini-program API on, talking to a fake WeChat API for the mini-program's
 * AppID: jscode2session (login), stable_token, subscribe/send and getuserphonenumber.
 */

export const MP_APPID = 'wxa1b2c3d4e5f60718';
export const MP_SECRET = 'mpsecret0123456789abcdef01234567';

export interface MiniProgramHarness {
  app: TestApp;
  /** The fake jscode2session. */
  wechat: JsCode2SessionFake;
  /** The rest of the fake WeChat API (the mini-program's token, subscribe messages, phone numbers). */
  api: FakeWeChatApi;
  /** Logs a user in (a fresh wx.login() code, with the UnionID WeChat gives, if any); returns our session token. */
  login(openId: string, unionId?: string): Promise<string>;
  /** Logs in and registers a new resident; returns the token. */
  /** Files the 宅基地 errand (entrustment confirmed) for a registered user; returns its receipt number. */
  fileHomestead(token: string, idempotencyKey: string): Promise<string>;
  resident(openId: string, form?: Record<string, unknown>): Promise<string>;
  call(
    method: InjectOptions['method'],
    url: string,
    token: string | null,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startMiniProgram(
  env: Record<string, string> = {},
  options: { pages?: string[]; otherApps?: { appId: string; secret: string }[] } = {},
): Promise<MiniProgramHarness> {
  let registered: JsCode2SessionFake | undefined;
  const api = await startFakeWeChatApi({
    appId: MP_APPID,
    secret: MP_SECRET,
    ...(options.pages ? { pages: options.pages } : {}),
    ...(options.otherApps ? { otherApps: options.otherApps } : {}),
    extend: (server) => {
      registered = registerJsCode2Session(server, { appId: MP_APPID, secret: MP_SECRET });
    },
  });
  if (!registered) throw new Error('jscode2session fake not registered');
  const wechat = registered;
  const app = await startTestApp({ env: { WECHAT_MP_APPID: MP_APPID, WECHAT_MP_SECRET: MP_SECRET, WECHAT_API_BASE: api.url, ...env } });
  const call: MiniProgramHarness['call'] = (method, url, token, payload, headers = {}) =>
    app.daiban.server.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  const login = async (openId: string, unionId?: string) => {
    const r = await call('POST', '/api/mp/login', null, { code: wechat.issueCode(openId, unionId) });
    if (r.statusCode !== 200) throw new Error(`login ${r.statusCode}: ${r.body}`);
    return r.json<{ token: string }>().token;
  };
  return {
    app,
    wechat,
    api,
    login,
    async resident(openId, form = {}) {
      const token = await login(openId);
      const r = await call('POST', '/api/mp/registration', token, { name: '何小梅', villageCode: 'qs-lw', phone: '13700001234', ...form });
      if (r.statusCode !== 201) throw new Error(`registration ${r.statusCode}: ${r.body}`);
      return token;
    },
    call,
    async fileHomestead(token, idempotencyKey) {
      const entrustment = await call('GET', '/api/mp/entrustment?itemId=homestead-building-application', token);
      const version = entrustment.json<{ entrustment: { version: string } }>().entrustment.version;
      const body = { itemId: 'homestead-building-application', entrustment: { confirmed: true, version } };
      const r = await call('POST', '/api/mp/errands', token, body, { 'idempotency-key': idempotencyKey });
      if (r.statusCode !== 201) throw new Error(`filing ${r.statusCode}: ${r.body}`);
      return r.json<{ receiptNo: string }>().receiptNo;
    },
    async close() {
      await app.close();
      await api.close();
    },
  };
}
