import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * A local fake of WeChat's `GET /sns/jscode2session?appid&secret&js_code&grant_type=authorization_code`,
 * speaking the real format: `{openid, session_key, unionid?}`, or `{errcode, errmsg}` — 40029 for a
 * code it never issued, 40163 for a code used before, 40013/40125 for a wrong AppID or secret. Codes
 * are issued by `issueCode(openId)` (what wx.login() would give that user); `failNext` makes the next
 * calls answer a chosen errcode (-1 busy, 45011 frequency limit…).
 */

export interface FakeJsCode2Session {
  url: string;
  /** A fresh one-time code for the user with this OpenID. */
  issueCode(openId: string, unionId?: string): string;
  /** Every session_key handed out so far (to check that none reaches a client). */
  sessionKeys: string[];
  calls: Record<string, string>[];
  failNext(errcode: number, times?: number): void;
  close(): Promise<void>;
}

const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40013: 'invalid appid',
  40029: 'invalid code',
  40125: 'invalid appsecret',
  40163: 'code been used',
  45011: 'api minute-quota reach limit  mustslower  retry next minute',
};

export type JsCode2SessionFake = Omit<FakeJsCode2Session, 'url' | 'close'>;

/** Adds the fake jscode2session route to a fake server (alone, or next to the rest of WeChat's API). */
export function registerJsCode2Session(app: FastifyInstance, options: { appId: string; secret: string }): JsCode2SessionFake {
  const issued = new Map<string, { openId: string; unionId: string | undefined }>();
  const used = new Set<string>();
  const sessionKeys: string[] = [];
  const calls: Record<string, string>[] = [];
  const failures: number[] = [];

  app.get('/sns/jscode2session', async (request) => {
    const q = request.query as Record<string, string>;
    calls.push(q);
    const fail = failures.shift();
    if (fail !== undefined) return { errcode: fail, errmsg: ERRMSG[fail] ?? 'error' };
    if (q.appid !== options.appId) return { errcode: 40013, errmsg: ERRMSG[40013] };
    if (q.secret !== options.secret) return { errcode: 40125, errmsg: ERRMSG[40125] };
    if (q.grant_type !== 'authorization_code') return { errcode: 40002, errmsg: 'invalid grant_type' };
    const code = q.js_code ?? '';
    if (used.has(code)) return { errcode: 40163, errmsg: ERRMSG[40163] };
    const user = issued.get(code);
    if (!user) return { errcode: 40029, errmsg: ERRMSG[40029] };
    issued.delete(code);
    used.add(code);
    const sessionKey = randomBytes(16).toString('base64');
    sessionKeys.push(sessionKey);
    return { openid: user.openId, session_key: sessionKey, ...(user.unionId ? { unionid: user.unionId } : {}) };
  });

  return {
    issueCode(openId, unionId) {
      const code = randomBytes(12).toString('hex');
      issued.set(code, { openId, unionId });
      return code;
    },
    sessionKeys,
    calls,
    failNext(errcode, times = 1) {
      for (let i = 0; i < times; i++) failures.push(errcode);
    },
  };
}

export async function startFakeJsCode2Session(options: { appId: string; secret: string }): Promise<FakeJsCode2Session> {
  const app = Fastify();
  const fake = registerJsCode2Session(app, options);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { ...fake, url, close: () => app.close() };
}
