import type { Redis } from 'ioredis';
import { createPartSender } from '../part-sender.ts';
import { PermanentDeliveryError, type OutboundChannel, type OutboundMessage } from '../../app/ports.ts';
import { createTokenCache, isTokenError, type AccessTokens } from '../official-account/access-token.ts';
import { splitMessage } from '../official-account/customer-service-api.ts';
import { getWeChatJson, postWeChatJson, WeChatApiError } from '../official-account/wechat-api.ts';
import type { SlidingWindowLimit } from './sliding-window-limit.ts';

/**
 * The WeCom app's sending side (channel `wecom`): text to a member's UserID through the app message
 * API, `POST {base}/cgi-bin/message/send?access_token=…` {touser, msgtype: 'text', agentid, text}.
 * The bot's replies to agents' commands go this way too (see callback-routes.ts), as well as any
 * notification to a person whose roster identity is on `wecom`.
 *
 * - The access token comes from `GET /cgi-bin/gettoken?corpid&corpsecret`, cached and refreshed
 *   like the Official Account's (one refresher, Redis lock); a token WeCom rejects is dropped and
 *   the send tried once more.
 * - ≤ 30 messages a minute and ≤ 1000 an hour per member per app: `waitMs` holds a message back.
 * - Text over 2,048 bytes is split at line boundaries.
 * - A member the app cannot reach (unknown UserID, outside the app's visible range) and
 *   configuration errors (wrong CorpID/Secret/AgentId, this IP not trusted) are dead letters
 *   naming the code; 45009 (frequency), −1 (busy) and the unknown are retried.
 */

export const WECOM_CHANNEL = 'wecom';
export const APP_MESSAGE_MAX_BYTES = 2048;

const REFUSALS: ReadonlyMap<number, string> = new Map([
  [40003, 'invalid UserID'],
  [60111, 'the UserID is not a member of the organisation'],
  [81013, "the UserID is not a member, or outside the app's visible range"],
  [82001, "the member is outside the app's visible range"],
  [40013, 'configuration error: invalid CorpID'],
  [40056, 'configuration error: invalid AgentId'],
  [40091, 'configuration error: invalid Secret'],
  [60020, "configuration error: this server's IP is not among the app's trusted IPs (企业可信IP)"],
  [48002, 'configuration error: the app is not allowed to use this API'],
  [44004, 'empty text'],
  [45002, 'message content too long'],
]);

export interface WeComAppOptions {
  redis: Redis;
  /** The BullMQ prefix: the token lives under `<prefix>:daiban:wecom:<corpid>:<agentid>`. */
  prefix: string;
  corpId: string;
  agentId: number;
  secret: string;
  apiBase: string;
  timeoutMs?: number;
}

/** The app's access token (WeCom issues one per app secret). */
export function createWeComTokens(options: WeComAppOptions): AccessTokens {
  return createTokenCache({
    redis: options.redis,
    key: `${options.prefix}:daiban:wecom:${options.corpId}:${options.agentId}`,
    async fetchToken() {
      const query = new URLSearchParams({ corpid: options.corpId, corpsecret: options.secret });
      let answer: Record<string, unknown>;
      try {
        answer = await getWeChatJson(`${options.apiBase}/cgi-bin/gettoken?${query.toString()}`, options.timeoutMs);
      } catch (error) {
        // gettoken answers 40001 for a wrong Secret: not a stale token, a configuration error.
        if (error instanceof WeChatApiError && [40001, 40013, 40091].includes(error.errcode)) {
          throw new PermanentDeliveryError(`wecom: gettoken refused the CorpID/Secret (errcode ${error.errcode}): ${error.errmsg}`, { cause: error });
        }
        throw error;
      }
      const token = answer.access_token;
      const expiresIn = Number(answer.expires_in);
      if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresIn)) throw new Error('WeCom gettoken answered without access_token/expires_in');
      return { token, expiresIn };
    },
  });
}

export interface AppMessageChannelOptions {
  tokens: AccessTokens;
  apiBase: string;
  agentId: number;
  /** Per member: 30 a minute and 1000 an hour. */
  limits: { perMinute: SlidingWindowLimit; perHour: SlidingWindowLimit };
  timeoutMs?: number;
}

export interface AppMessageChannel extends OutboundChannel {
  waitMs(message: { recipient: string | null; text: string }): Promise<number>;
}

export function createAppMessageChannel(options: AppMessageChannelOptions): AppMessageChannel {
  const { tokens } = options;
  const partSender = createPartSender();

  async function post(token: string, touser: string, content: string): Promise<void> {
    const url = `${options.apiBase}/cgi-bin/message/send?access_token=${encodeURIComponent(token)}`;
    const answer = await postWeChatJson(url, { touser, msgtype: 'text', agentid: options.agentId, text: { content }, safe: 0 }, options.timeoutMs);
    // errcode 0 with the UserID listed as invalid: WeCom took the call but reached nobody.
    if (typeof answer.invaliduser === 'string' && answer.invaliduser.split('|').includes(touser)) {
      throw new WeChatApiError(81013, `invaliduser ${answer.invaliduser}`, '/cgi-bin/message/send');
    }
  }

  async function sendPart(touser: string, content: string): Promise<void> {
    const token = await tokens.get();
    try {
      await post(token, touser, content);
    } catch (error) {
      if (!isTokenError(error)) throw error;
      await tokens.invalidate(token);
      await post(await tokens.get(), touser, content);
    }
  }

  return {
    name: WECOM_CHANNEL,
    async waitMs({ recipient, text }) {
      if (recipient === null) return 0;
      const parts = splitMessage(text, APP_MESSAGE_MAX_BYTES).length;
      const minute = await options.limits.perMinute.take(recipient, parts);
      return minute > 0 ? minute : options.limits.perHour.take(recipient, parts);
    },
    async send(message: OutboundMessage) {
      if (message.room !== null) throw new PermanentDeliveryError('wecom: the app sends to members; rooms are reached through their group robot (wecom-robot)');
      const recipient = message.recipient;
      if (!recipient) throw new PermanentDeliveryError('wecom: the message has no recipient UserID');
      const parts = splitMessage(message.text, APP_MESSAGE_MAX_BYTES);
      try {
        await partSender.send(message.dedupeKey, parts, (part) => sendPart(recipient, part));
      } catch (error) {
        const refusal = error instanceof WeChatApiError ? REFUSALS.get(error.errcode) : undefined;
        if (error instanceof WeChatApiError && refusal !== undefined) {
          partSender.forget(message.dedupeKey);
          throw new PermanentDeliveryError(`wecom: WeCom errcode ${error.errcode} (${refusal}): ${error.errmsg}`, { cause: error });
        }
        throw error;
      }
    },
  };
}
