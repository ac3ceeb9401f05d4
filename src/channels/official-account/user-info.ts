import type { UnionIdLookup } from '../../app/union-links.ts';
import type { AccessTokens } from '../wechat/access-token.ts';
import { getWithToken } from '../wechat/authorised-call.ts';
import { WeChatApiError } from '../wechat/wechat-api.ts';

/**
 * A follower's UnionID from `GET /cgi-bin/user/info?openid=…&lang=zh_CN`: present when the account
 * is bound to an open-platform account. An OpenID WeChat does not know for this account (40003: one
 * we anonymised, or of another app), a follower who left (`subscribe: 0`) or an account not allowed
 * to call this (48001) has none to give: null, asked again much later. Busy or unreachable: thrown,
 * tried again at the next sweep.
 */

const NONE_TO_GIVE = new Set([40003, 43004, 48001, 50005]);

export function createUnionIdLookup(input: { tokens: AccessTokens; apiBase: string }): UnionIdLookup {
  return async (openId) => {
    try {
      const info = await getWithToken({ tokens: input.tokens, apiBase: input.apiBase, path: '/cgi-bin/user/info', query: { openid: openId, lang: 'zh_CN' } });
      return typeof info.unionid === 'string' && info.unionid ? info.unionid : null;
    } catch (error) {
      if (error instanceof WeChatApiError && NONE_TO_GIVE.has(error.errcode)) return null;
      throw error;
    }
  };
}
