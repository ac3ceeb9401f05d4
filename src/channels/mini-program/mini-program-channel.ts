import type { Logger } from '../../app/ports.ts';
import { MINI_PROGRAM_CHANNEL } from '../../app/ports.ts';
import type { Database } from '../../db/open-database.ts';
import type { AccessTokens } from '../wechat/access-token.ts';
import { handToAgent, sendSubscribeMessage, type Outreach, type Step } from '../wechat/delivery-steps.ts';
import { fieldData, specFor, type SubscribeMessageSpec } from '../wechat/message-templates.ts';
import { notificationFacts } from '../wechat/notification-facts.ts';
import { PermanentDeliveryError, type DeliveryOutcome, type OutboundChannel, type OutboundMessage } from '../../app/ports.ts';

/**
 * The 'mini-program' channel: a notification to a mini-program user (OpenID of the mini-program)
 * goes the first way that works —
 *   1. a subscribe message (`/cgi-bin/message/subscribe/send`, the mini-program's own access token),
 *      if a template is configured for the notification's kind and the user holds a credit for it
 *      (one accept of wx.requestSubscribeMessage = one send);
 *   2. a task for the village agent to phone or visit (handed to the agent's channel).
 * One credit per message, however often the job is retried (held per outbox message); a refusal
 * gives it back unless WeChat says there was none (43101). Errcodes (../wechat/errcode-policy.ts): busy or over
 * a rate → retry later; 40001/40014/42001 → a fresh token, once; 43101/40003 → the agent task;
 * 40037/47003/41030 and other configuration errors → dead letter naming the code.
 */

export interface MiniProgramChannelOptions {
  database: Database;
  tokens: AccessTokens;
  apiBase: string;
  timeoutMs?: number;
  /** The subscribe templates per notification kind (the `subscribe_messages` of the templates file). */
  subscribeMessages: readonly SubscribeMessageSpec[];
  /** miniprogram_state: which version of the mini-program the message opens. */
  state: 'developer' | 'trial' | 'formal';
  statusLabel: (status: string) => string | null;
  outreach: Outreach;
  logger: Logger;
  now: () => number;
}

export function createMiniProgramChannel(options: MiniProgramChannelOptions): OutboundChannel {
  const { database, logger } = options;
  const api = { tokens: options.tokens, apiBase: options.apiBase, timeoutMs: options.timeoutMs };

  async function subscribeMessage(message: OutboundMessage, openId: string): Promise<Step> {
    const facts = notificationFacts(database, message, options.statusLabel, options.now());
    const spec = specFor(options.subscribeMessages, facts.kind);
    if (!spec) return { kind: 'next', note: `subscribe: none configured for kind ${facts.kind}` };
    const body = {
      touser: openId,
      template_id: spec.template_id,
      ...(spec.page ? { page: spec.page } : {}),
      data: fieldData(spec.fields, facts),
      miniprogram_state: options.state,
      lang: 'zh_CN',
    };
    return sendSubscribeMessage({
      database,
      app: MINI_PROGRAM_CHANNEL,
      api,
      path: '/cgi-bin/message/subscribe/send',
      message,
      openId,
      templateId: spec.template_id,
      body,
      now: options.now(),
      logger,
    });
  }

  return {
    name: MINI_PROGRAM_CHANNEL,
    async send(message): Promise<DeliveryOutcome> {
      if (message.room !== null) throw new PermanentDeliveryError('mini-program: group chats cannot be reached through the mini-program');
      const openId = message.recipient;
      if (!openId) throw new PermanentDeliveryError('mini-program: the message has no recipient OpenID');
      const step = await subscribeMessage(message, openId);
      if (step.kind === 'delivered') return { route: 'subscribe', detail: step.detail };
      return handToAgent({
        userWord: 'user',
        channel: MINI_PROGRAM_CHANNEL,
        outreach: options.outreach,
        message,
        externalId: openId,
        tried: [step.note],
        logger,
      });
    },
  };
}
