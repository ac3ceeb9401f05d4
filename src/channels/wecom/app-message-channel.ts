import type { Redis } from 'ioredis';
import { createPartSender } from '../wechat/part-sender.ts';
import { PermanentDeliveryError, type OutboundChannel, type OutboundMessage } from '../../app/ports.ts';
import { createTokenCache, isTokenError, type AccessTokens } from '../wechat/access-token.ts';
import { splitMessage } from '../wechat/message-split.ts';
import { getWeChatJson, postWeChatJson, WeChatApiError } from '../wechat/wechat-api.ts';
import { ruleOf } from '../wechat/errcode-policy.ts';
import type { SlidingWindowLimit } from './sliding-window-limit.ts';
import { APP_MESSAGE_POLICY, GETTOKEN_POLICY } from './wecom-errcodes.ts';

/**
 * The WeCom app's sending side (channel `wecom`): text to a member's UserID through the app message
 * API, `POST {base}/cgi-bin/message/send?access_token=…` {touser, msgtype: 'text', agentid, text}.
 * The bot's replies to agents' commands go this way too (see src/http/routes/wecom-callback.ts), as well as any
 * notification to a person whose roster identity is on `wecom`.
 *
 * - The access token comes from `GET /cgi-bin/gettoken?corpid&corpsecret`, cached and refreshed
 *   like the Official Account's (one refresher, Redis lock); a token WeCom rejects is dropped and
 *   the send tried once more.
 * - ≤ 30 messages a minute and ≤ 1000 an hour per member per app: `waitMs` holds a message back.
 * - Text over 2,048 bytes is split at line boundaries.
 * - A member the app cannot reach (unknown UserID, outside the app's visible range) and
 *   configuration errors (wrong CorpID/Secret/AgentId, this IP not trusted) are dead letters
 *   naming the code (wecom-errcodes.ts); 45009 (frequency), −1 (busy) and the unknown are retried.
 */

export const WECOM_CHANNEL = 'wecom';
export const APP_MESSAGE_MAX_BYTES = 2048;

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
        if (error instanceof WeChatApiError && ruleOf(GETTOKEN_POLICY, error.errcode).action === 'configuration') {
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
        const rule = error instanceof WeChatApiError ? ruleOf(APP_MESSAGE_POLICY, error.errcode) : null;
        if (error instanceof WeChatApiError && rule && rule.action !== 'retry') {
          partSender.forget(message.dedupeKey);
          const refusal = rule.action === 'configuration' ? `configuration error: ${rule.meaning}` : rule.meaning;
          throw new PermanentDeliveryError(`wecom: WeCom errcode ${error.errcode} (${refusal}): ${error.errmsg}`, { cause: error });
        }
        throw error;
      }
    },
  };
}
