import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { startFakeJsCode2Session, type FakeJsCode2Session } from './fake-jscode2session.ts';
import { startTestApp, type TestApp } from './test-app.ts';

/** A whole Daiban with the mini-program API on, logging in through a fake jscode2session. */

export const MP_APPID = 'wxa1b2c3d4e5f60718';
export const MP_SECRET = 'mpsecret0123456789abcdef01234567';

export interface MiniProgramHarness {
  app: TestApp;
  wechat: FakeJsCode2Session;
  /** Logs a user in (a fresh wx.login() code); returns our session token. */
  login(openId: string): Promise<string>;
  /** Logs in and registers a new resident; returns the token. */
  resident(openId: string, form?: Record<string, unknown>): Promise<string>;
  call(method: InjectOptions['method'], url: string, token: string | null, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startMiniProgram(env: Record<string, string> = {}): Promise<MiniProgramHarness> {
  const wechat = await startFakeJsCode2Session({ appId: MP_APPID, secret: MP_SECRET });
  const app = await startTestApp({ env: { WECHAT_MP_APPID: MP_APPID, WECHAT_MP_SECRET: MP_SECRET, WECHAT_API_BASE: wechat.url, ...env } });
  const call: MiniProgramHarness['call'] = (method, url, token, payload, headers = {}) =>
    app.daiban.server.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  const login = async (openId: string) => {
    const r = await call('POST', '/api/mp/login', null, { code: wechat.issueCode(openId) });
    if (r.statusCode !== 200) throw new Error(`login ${r.statusCode}: ${r.body}`);
    return r.json<{ token: string }>().token;
  };
  return {
    app,
    wechat,
    login,
    async resident(openId, form = {}) {
      const token = await login(openId);
      const r = await call('POST', '/api/mp/registration', token, { name: '何小梅', villageCode: 'qs-lw', phone: '13700001234', ...form });
      if (r.statusCode !== 201) throw new Error(`registration ${r.statusCode}: ${r.body}`);
      return token;
    },
    call,
    async close() {
      await app.close();
      await wechat.close();
    },
  };
}
