import type { AccessTokens } from './access-token.ts';
import { postWithToken } from './authorised-call.ts';
import { fitPassiveReply } from './passive-reply.ts';

/**
 * The customer-service message API (`/cgi-bin/message/custom/send`): one text to a follower's
 * OpenID, with the token refreshed once when WeChat calls it stale, and the splitting of a long text
 * into parts WeChat takes (about 2,000 bytes, at line boundaries). The 'official-account' channel
 * (official-account-channel.ts) tries this route first and falls back to others; WeCom reuses the split.
 */

export const CUSTOMER_SERVICE_MAX_BYTES = 2000;

/** Splits text into parts of at most `maxBytes` (UTF-8), at line boundaries where there are some. */
export function splitMessage(text: string, maxBytes = CUSTOMER_SERVICE_MAX_BYTES): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest !== '') {
    const fitted = fitPassiveReply([rest], maxBytes);
    if (fitted.text !== '') parts.push(fitted.text);
    rest = fitted.rest;
  }
  return parts;
}

/** One text through `/cgi-bin/message/custom/send` (token refreshed once if refused). */
export async function sendCustomerServiceText(
  api: { tokens: AccessTokens; apiBase: string; timeoutMs?: number },
  touser: string,
  content: string,
): Promise<void> {
  await postWithToken({ ...api, path: '/cgi-bin/message/custom/send', body: { touser, msgtype: 'text', text: { content } } });
}
