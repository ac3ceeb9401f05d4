import { PermanentDeliveryError, type OutboundChannel, type OutboundMessage } from '../outbound-channel.ts';
import type { AccessTokens } from './access-token.ts';
import { postWithToken } from './authorised-call.ts';
import { fitPassiveReply } from './passive-reply.ts';
import { WeChatApiError } from './wechat-api.ts';

/**
 * Text through the customer-service message API, on its own (the deployment's 'official-account'
 * channel is official-account-channel.ts, which tries this first and falls back to other routes):
 * (`/cgi-bin/message/custom/send`) to the follower's OpenID (the outbox row's `recipient`).
 *
 * - Text over ~2,000 bytes is split at line boundaries into several sends, in order. Parts already
 *   taken by WeChat are remembered (in this process) so that a retry sends only the rest.
 * - 40001/40014/42001: the token is invalidated (compare-and-delete) and the send tried once more.
 * - A refusal for this user or this deployment (45015 outside the 48-hour window, 45047 the user's
 *   quota, 43004 not following, 48002 refused, …) is a `PermanentDeliveryError` naming the code: the
 *   outbox makes it a dead letter.
 * - Anything else (45009 frequency, −1 busy, network errors) is a plain Error: retried with backoff.
 */

export const CUSTOMER_SERVICE_MAX_BYTES = 2000;

/** Errcodes after which sending the same message again cannot succeed. */
const REFUSALS: ReadonlyMap<number, string> = new Map([
  [45015, 'outside the 48-hour customer-service window (the user has not written recently)'],
  [45047, "over the customer-service message quota for this user"],
  [43004, 'the user does not follow the account'],
  [43019, 'the user has blocked the account'],
  [48002, 'the user refused messages from the account'],
  [40003, 'invalid OpenID for this account'],
  [50005, 'the user cannot receive messages (50005)'],
  [45002, 'message content too long'],
  [40013, 'configuration error: invalid AppID'],
  [40125, 'configuration error: invalid AppSecret'],
  [40164, "configuration error: this server's IP is not on the account's whitelist"],
  [48001, 'configuration error: the account is not authorised for this API'],
]);

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
export async function sendCustomerServiceText(api: { tokens: AccessTokens; apiBase: string; timeoutMs?: number }, touser: string, content: string): Promise<void> {
  await postWithToken({ ...api, path: '/cgi-bin/message/custom/send', body: { touser, msgtype: 'text', text: { content } } });
}

export interface CustomerServiceChannelOptions {
  tokens: AccessTokens;
  apiBase: string;
  timeoutMs?: number;
  maxBytes?: number;
}

export function createCustomerServiceChannel(options: CustomerServiceChannelOptions): OutboundChannel {
  const { tokens } = options;
  /** dedupeKey → how many parts WeChat took (only while a split message is not fully sent). */
  const partsSent = new Map<string, number>();

  async function sendPart(touser: string, content: string): Promise<void> {
    await sendCustomerServiceText({ tokens, apiBase: options.apiBase, timeoutMs: options.timeoutMs }, touser, content);
  }

  return {
    name: 'official-account',
    async send(message: OutboundMessage) {
      if (message.room !== null) throw new PermanentDeliveryError('official-account: group chats cannot be reached through the Official Account');
      if (!message.recipient) throw new PermanentDeliveryError('official-account: the message has no recipient OpenID');
      const parts = splitMessage(message.text, options.maxBytes);
      try {
        for (let i = partsSent.get(message.dedupeKey) ?? 0; i < parts.length; i++) {
          await sendPart(message.recipient, parts[i]!);
          if (i + 1 < parts.length) {
            // A message retried on another worker never comes back here: keep the map small.
            if (partsSent.size >= 1000) partsSent.delete(partsSent.keys().next().value!);
            partsSent.set(message.dedupeKey, i + 1);
          }
        }
        partsSent.delete(message.dedupeKey);
      } catch (error) {
        const refusal = error instanceof WeChatApiError ? REFUSALS.get(error.errcode) : undefined;
        if (error instanceof WeChatApiError && refusal !== undefined) {
          partsSent.delete(message.dedupeKey);
          throw new PermanentDeliveryError(`official-account: WeChat errcode ${error.errcode} (${refusal}): ${error.errmsg}`, { cause: error });
        }
        throw error;
      }
    },
  };
}
