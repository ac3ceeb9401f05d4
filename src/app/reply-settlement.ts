import type { Database } from '../db/open-database.ts';
import { insertOutbox, retractReplies } from '../db/outbox-repository.ts';
import type { Logger, OutboxDispatch } from './ports.ts';

/**
 * How a turn's replies really went out, when the channel learns it only after the turn. The turn
 * records its replies as sent with the answer; the Official Account's one passive answer may carry
 * only the first part of them (about 2 KB), or none when the turn outlasted WeChat's wait. Then the
 * turn's rows are taken back and what really happened is recorded once: the part the answer carried
 * as a sent reply, the rest as replies the worker sends later (the customer-service API). Each row is
 * written once however often the platform re-delivers the message (de-duplication keys).
 */

export interface ReplySettlement {
  channel: string;
  recipient: string;
  /** The inbound message's id: the later rows' de-duplication keys are made of it. */
  messageId: string;
  /** The rows the turn recorded as sent (InboundResult.sentReplyIds; none for a re-delivery). */
  sentReplyIds: readonly number[];
  /** What the answer carried, or null when it carried nothing. */
  answered: string | null;
  /** What it could not carry. */
  later: readonly string[];
}

export interface SettlementDeps {
  database: Database;
  dispatch: OutboxDispatch;
  logger: Logger;
  clock: () => number;
  /** The channel can send later (the Official Account's AppSecret is set); else the rest is dropped, loudly. */
  canSendLater: boolean;
}

/** Records the settlement and hands the later rows to the worker; resolves once they are handed over (or left to the sweeper). */
export async function settleReplies(deps: SettlementDeps, s: ReplySettlement): Promise<void> {
  const { database } = deps;
  const now = deps.clock();
  const base = { channel: s.channel, recipient: s.recipient, room: null, kind: 'reply' as const };
  if (!deps.canSendLater && s.later.length)
    deps.logger.warn({ parts: s.later.length }, 'a reply did not fit the passive answer and WECHAT_OA_SECRET is not set; the rest is not sent');
  const later = deps.canSendLater ? s.later : [];
  const ids = database.write(() => {
    // A re-delivery has no rows of its own: the first delivery recorded what its answer carried.
    const retracted = retractReplies(database, s.sentReplyIds);
    if (retracted > 0 && s.answered) insertOutbox(database, [{ ...base, text: s.answered }], now);
    return insertOutbox(
      database,
      later.map((text, i) => ({ ...base, text, later: true, dedupeKey: `reply-later-${s.channel}-${s.messageId}-${i}` })),
      now,
    );
  });
  // Redis away: the rows wait for the outbox sweeper.
  if (ids.length) await deps.dispatch.enqueue(ids).catch((error: unknown) => deps.logger.warn({ err: error }, 'later replies deferred to the outbox sweeper'));
}
