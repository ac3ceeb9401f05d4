import type { AccessTokens } from '../wechat/access-token.ts';
import { postWithToken } from '../wechat/authorised-call.ts';

/**
 * The customer-service message API (`/cgi-bin/message/custom/send`): one text to a follower's
 * OpenID, with the token refreshed once when WeChat calls it stale (a long text is split first, by
 * ../wechat/message-split.ts). The 'official-account' channel (official-account-channel.ts) tries this
 * route first and falls back to others.
 */

/** One text through `/cgi-bin/message/custom/send` (token refreshed once if refused). */
export async function sendCustomerServiceText(
  api: { tokens: AccessTokens; apiBase: string; timeoutMs?: number },
  touser: string,
  content: string,
): Promise<void> {
  await postWithToken({ ...api, path: '/cgi-bin/message/custom/send', body: { touser, msgtype: 'text', text: { content } } });
}
