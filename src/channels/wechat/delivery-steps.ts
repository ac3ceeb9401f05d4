import type { Logger } from '../../app/ports.ts';
import type { Database } from '../../db/open-database.ts';
import { holdSubscribeCredit, recordSubscribeSent, releaseSubscribeCredit } from '../../db/official-account-sends-repository.ts';
import type { SubscribeApp } from '../../db/subscribe-credits-repository.ts';
import type { AccessTokens } from './access-token.ts';
import { postWithToken } from './authorised-call.ts';
import { PermanentDeliveryError, type DeliveryOutcome, type HandOver, type OutboundMessage } from '../../app/ports.ts';
import { errcodeAction } from './errcode-policy.ts';
import { WeChatApiError } from './wechat-api.ts';

/**
 * The steps shared by WeChat's senders with several routes (the Official Account, the mini-program):
 * what a failed send means for the message (errcode-policy.ts), a subscribe message under one held
 * credit, and the last resort — a task for the village agent to phone or visit, handed to the
 * agent's channel.
 */

export type Step = { kind: 'delivered'; detail: string } | { kind: 'next'; note: string } | { kind: 'unreachable'; note: string };

export type ChannelHandOver = { kind: 'tasks'; handOver: HandOver[] } | { kind: 'none'; reason: string };

export type Outreach = (request: { channel: string; externalId: string; text: string; errandId: number | null; dedupeKey: string }) => ChannelHandOver;

/** Turns a send's failure into the next step, or throws (retry, or dead letter for a configuration error). */
export function stepAfterFailure(input: { channel: string; route: string; error: unknown; message: OutboundMessage; logger: Logger }): Step {
  const { channel, route, error } = input;
  if (!(error instanceof WeChatApiError)) throw error;
  const { action, meaning } = errcodeAction(error.errcode);
  const note = `${route}: errcode ${error.errcode} (${meaning})`;
  if (action === 'next_route') return { kind: 'next', note };
  if (action === 'unreachable') return { kind: 'unreachable', note };
  if (action === 'configuration') {
    input.logger.error(
      { outboxId: input.message.outboxId, route, errcode: error.errcode, errmsg: error.errmsg },
      `${channel}: configuration error (errcode ${error.errcode}: ${meaning}); fix the account or the templates file`,
    );
    throw new PermanentDeliveryError(`${channel}: configuration error on ${route}: WeChat errcode ${error.errcode} (${meaning}): ${error.errmsg}`, {
      cause: error,
    });
  }
  throw new Error(`${channel}: ${note}: ${error.errmsg}; will retry`, { cause: error });
}

/**
 * Sends a subscribe message (`body` for `path`: the Official Account's bizsend or the mini-program's
 * subscribe/send) under one credit of the user's, held for this outbox message however often the job
 * is retried. A send to retry keeps the credit; a refusal gives it back, unless WeChat says there is
 * no subscription (43101): then none is left.
 */
export async function sendSubscribeMessage(input: {
  database: Database;
  app: SubscribeApp;
  api: { tokens: AccessTokens; apiBase: string; timeoutMs?: number | undefined };
  path: string;
  message: OutboundMessage;
  openId: string;
  templateId: string;
  body: Record<string, unknown>;
  now: number;
  logger: Logger;
}): Promise<Step> {
  const { database, app, message, templateId } = input;
  const key = { openId: input.openId, templateId, dedupeKey: message.dedupeKey, now: input.now };
  const hold = holdSubscribeCredit(database, app, key);
  if (hold.kind === 'none') return { kind: 'next', note: `subscribe: no credit for ${templateId}` };
  if (hold.sent) return { kind: 'delivered', detail: `subscribe: ok (${templateId}, sent before a restart)` };
  try {
    await postWithToken({ ...input.api, path: input.path, body: input.body });
  } catch (error) {
    const retry = !(error instanceof WeChatApiError) || errcodeAction(error.errcode).action === 'retry';
    if (!retry) releaseSubscribeCredit(database, app, { ...key, refusal: error.errcode === 43101 ? 'no_subscription' : 'unused' });
    return stepAfterFailure({ channel: app, route: 'subscribe', error, message, logger: input.logger });
  }
  recordSubscribeSent(database, message.dedupeKey);
  return { kind: 'delivered', detail: `subscribe: ok (${templateId})` };
}

/** The last resort: the village agent's tasks (route `agent_task`), or a dead letter saying why there are none. */
export function handToAgent(input: {
  channel: string;
  /** What the channel calls its users in messages ("follower" of an Official Account, "user"). */
  userWord: string;
  outreach: Outreach;
  message: OutboundMessage;
  externalId: string;
  tried: readonly string[];
  logger: Logger;
}): DeliveryOutcome {
  const { channel, message, tried } = input;
  const tasks = input.outreach({ channel, externalId: input.externalId, text: message.text, errandId: message.errandId ?? null, dedupeKey: message.dedupeKey });
  if (tasks.kind === 'tasks' && tasks.handOver.length > 0) {
    input.logger.info({ outboxId: message.outboxId, tried }, `${channel}: ${input.userWord} not reachable on WeChat; handed to the village agent`);
    return { route: 'agent_task', detail: [...tried, `agent_task: ${tasks.handOver.length} message(s)`].join('; '), handOver: tasks.handOver };
  }
  const reason = tasks.kind === 'none' ? tasks.reason : 'no agent to ask';
  throw new PermanentDeliveryError(`${channel}: no route reached the ${input.userWord}: ${[...tried, `agent_task: ${reason}`].join('; ')}`);
}
