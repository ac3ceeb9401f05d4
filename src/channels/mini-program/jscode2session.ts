import { AppError } from '../../errors.ts';

/**
 * WeChat's `GET /sns/jscode2session`: the code of wx.login() → the user's OpenID (per app), the
 * session_key (stays on the server) and the UnionID when the app is bound to an open-platform
 * account. WeChat's refusals become catalog errors: a bad or used code is the client's problem (400);
 * busy, rate-limited or unreachable is worth a retry (503); anything else (wrong AppID or secret) is
 * our configuration and is reported as 503 too, with the cause logged, never shown.
 */

export type { CodeSession } from '../../app/ports.ts';
import type { CodeSession } from '../../app/ports.ts';

export type CodeExchange = (code: string) => Promise<CodeSession>;

/** 40029 invalid code, 40163 code been used: wx.login() must be called again. */
const BAD_CODE = new Set([40029, 40163]);
/** -1 system busy, 45011 frequency limit: try again shortly. */
const RETRY = new Set([-1, 45011]);

export function createCodeExchange(options: { appId: string; secret: string; apiBase: string; timeoutMs?: number }): CodeExchange {
  return async function exchange(code) {
    const url = new URL(`${options.apiBase}/sns/jscode2session`);
    url.search = new URLSearchParams({ appid: options.appId, secret: options.secret, js_code: code, grant_type: 'authorization_code' }).toString();
    let body: Record<string, unknown>;
    try {
      const answer = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
      body = (await answer.json()) as Record<string, unknown>;
    } catch (error) {
      throw new AppError('wechat_busy', 'WeChat did not answer the login; try again in a moment.', undefined, { cause: error });
    }
    const errcode = Number(body.errcode ?? 0);
    if (errcode !== 0) {
      const errmsg = typeof body.errmsg === 'string' ? body.errmsg : '';
      if (BAD_CODE.has(errcode)) {
        const used = errcode === 40163;
        throw new AppError(
          'invalid_login_code',
          used ? 'This login code was already used; call wx.login() again.' : 'This login code is not valid; call wx.login() again.',
          {
            wechatErrcode: errcode,
          },
        );
      }
      const cause = new Error(`jscode2session answered errcode ${errcode}: ${errmsg}`);
      if (RETRY.has(errcode)) throw new AppError('wechat_busy', undefined, { wechatErrcode: errcode }, { cause });
      throw new AppError('unavailable', 'Login through WeChat is not possible right now.', undefined, { cause });
    }
    const openId = body.openid;
    const sessionKey = body.session_key;
    if (typeof openId !== 'string' || !openId || typeof sessionKey !== 'string' || !sessionKey) {
      throw new AppError('wechat_busy', 'WeChat gave an incomplete login answer; try again.', undefined, {
        cause: new Error('jscode2session answer without openid or session_key'),
      });
    }
    return { openId, sessionKey, unionId: typeof body.unionid === 'string' && body.unionid ? body.unionid : null };
  };
}
