import type { Logger } from '../../app/ports.ts';
import type { Database } from '../../db/open-database.ts';
import { claimCustomerService, markAllowanceRefused, recordCustomerServicePart } from '../../db/official-account-sends-repository.ts';
import { PermanentDeliveryError, type DeliveryOutcome, type OutboundChannel, type OutboundMessage } from '../../app/ports.ts';
import type { AccessTokens } from '../wechat/access-token.ts';
import { postWithToken } from '../wechat/authorised-call.ts';
import { sendCustomerServiceText } from './customer-service-api.ts';
import { splitMessage } from '../wechat/message-split.ts';
import { handToAgent, sendSubscribeMessage, stepAfterFailure, type Outreach, type Step } from '../wechat/delivery-steps.ts';
import { errcodeAction } from '../wechat/errcode-policy.ts';
import { fieldData, specFor, type MessageTemplates, type NotificationFacts } from '../wechat/message-templates.ts';
import { notificationFacts } from '../wechat/notification-facts.ts';
import { WeChatApiError } from '../wechat/wechat-api.ts';

/**
 * The Official Account's 'official-account' channel: a notification to a follower goes the first way
 * that works —
 *   1. a customer-service message, while the follower's allowance lasts (5 within 48 h of their last
 *      message, or 3 within a minute of a follow, scan or menu click; tracked in SQLite: outside it
 *      the API is not called);
 *   2. a template message, if one is configured for the notification's kind (`client_msg_id` = the
 *      outbox dedupe key, so WeChat drops a repeat);
 *   3. a subscribe message (bizsend), if the follower holds a credit for a configured template;
 *   4. a task for the village agent to phone or visit (handed to the agent's channel).
 * Errcodes decide (../wechat/errcode-policy.ts): busy → retry the message later; window/quota → next route;
 * the user unreachable on WeChat → straight to the agent task; a configuration error → dead letter,
 * logged loudly. The route that delivered is reported to the worker, which records it with the mark.
 */

export interface OfficialAccountChannelOptions {
  database: Database;
  tokens: AccessTokens;
  apiBase: string;
  timeoutMs?: number;
  templates: MessageTemplates;
  /** Customer-service messages allowed per 48-hour window (WeChat: 5; 0 skips them for notifications). */
  customerServiceAllowance?: number;
  /** The resident-facing text of an errand status (for the `status` field source). */
  statusLabel: (status: string) => string | null;
  /** The last resort: tasks for the village agent, or why there are none. */
  outreach: Outreach;
  logger: Logger;
  now: () => number;
}

export function createOfficialAccountChannel(options: OfficialAccountChannelOptions): OutboundChannel {
  const { database, logger } = options;
  const api = { tokens: options.tokens, apiBase: options.apiBase, timeoutMs: options.timeoutMs };
  const allowance = options.customerServiceAllowance ?? 5;

  const afterFailure = (route: string, error: unknown, message: OutboundMessage): Step =>
    stepAfterFailure({ channel: 'official-account', route, error, message, logger });

  async function customerService(message: OutboundMessage, openId: string): Promise<Step> {
    const parts = splitMessage(message.text);
    if (parts.length === 0) return { kind: 'delivered', detail: 'customer_service: nothing to send (empty text)' };
    const claim = claimCustomerService(database, { openId, dedupeKey: message.dedupeKey, parts: parts.length, now: options.now(), allowance });
    if (claim.kind === 'done') return { kind: 'delivered', detail: 'customer_service: ok (sent before a restart)' };
    if (claim.kind === 'no_window') return { kind: 'next', note: `customer_service: skipped (${claim.reason})` };
    for (let i = claim.partsSent; i < parts.length; i++) {
      try {
        await sendCustomerServiceText(api, openId, parts[i]!);
      } catch (error) {
        if (error instanceof WeChatApiError && errcodeAction(error.errcode).action === 'next_route')
          markAllowanceRefused(database, message.dedupeKey, allowance);
        return afterFailure('customer_service', error, message);
      }
      recordCustomerServicePart(database, message.dedupeKey, i + 1);
    }
    return { kind: 'delivered', detail: parts.length > 1 ? `customer_service: ok (${parts.length} parts)` : 'customer_service: ok' };
  }

  const factsOf = (message: OutboundMessage): NotificationFacts => notificationFacts(database, message, options.statusLabel, options.now());

  async function templateMessage(message: OutboundMessage, openId: string, facts: NotificationFacts): Promise<Step> {
    const spec = specFor(options.templates.template_messages, facts.kind);
    if (!spec) return { kind: 'next', note: `template: none configured for kind ${facts.kind}` };
    const body = {
      touser: openId,
      template_id: spec.template_id,
      ...(spec.url ? { url: spec.url } : {}),
      ...(spec.miniprogram ? { miniprogram: spec.miniprogram } : {}),
      client_msg_id: message.dedupeKey,
      data: fieldData(spec.fields, facts),
    };
    try {
      const answer = await postWithToken({ ...api, path: '/cgi-bin/message/template/send', body });
      return {
        kind: 'delivered',
        detail: `template: ok (${spec.template_id}, msgid ${typeof answer.msgid === 'number' || typeof answer.msgid === 'string' ? answer.msgid : '?'})`,
      };
    } catch (error) {
      return afterFailure('template', error, message);
    }
  }

  async function subscribeMessage(message: OutboundMessage, openId: string, facts: NotificationFacts): Promise<Step> {
    const spec = specFor(options.templates.subscribe_messages, facts.kind);
    if (!spec) return { kind: 'next', note: `subscribe: none configured for kind ${facts.kind}` };
    const body = {
      touser: openId,
      template_id: spec.template_id,
      ...(spec.page ? { page: spec.page } : {}),
      ...(spec.miniprogram ? { miniprogram: spec.miniprogram } : {}),
      data: fieldData(spec.fields, facts),
    };
    return sendSubscribeMessage({
      database,
      app: 'official-account',
      api,
      path: '/cgi-bin/message/subscribe/bizsend',
      message,
      openId,
      templateId: spec.template_id,
      body,
      now: options.now(),
      logger,
    });
  }

  return {
    name: 'official-account',
    async send(message): Promise<DeliveryOutcome> {
      if (message.room !== null) throw new PermanentDeliveryError('official-account: group chats cannot be reached through the Official Account');
      const openId = message.recipient;
      if (!openId) throw new PermanentDeliveryError('official-account: the message has no recipient OpenID');
      const tried: string[] = [];
      const outcome = (route: string, detail: string): DeliveryOutcome => ({ route, detail: [...tried, detail].join('; ') });

      let step = await customerService(message, openId);
      if (step.kind === 'delivered') return outcome('customer_service', step.detail);
      tried.push(step.note);
      if (step.kind === 'next') {
        const facts = factsOf(message);
        step = await templateMessage(message, openId, facts);
        if (step.kind === 'delivered') return outcome('template', step.detail);
        tried.push(step.note);
        if (step.kind === 'next') {
          step = await subscribeMessage(message, openId, facts);
          if (step.kind === 'delivered') return outcome('subscribe', step.detail);
          tried.push(step.note);
        }
      }

      return handToAgent({ userWord: 'follower', channel: 'official-account', outreach: options.outreach, message, externalId: openId, tried, logger });
    },
  };
}
