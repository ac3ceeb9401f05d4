import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';
import { returnSubscribeCredit, takeSubscribeCredit, type SubscribeApp } from './subscribe-credits-repository.ts';

/**
 * The Official Account's per-message sending records (schema/official-account-sends.ts): claims on
 * a follower's customer-service allowance and subscribe-message credits held for a message. Every
 * function here runs in one write transaction, so several worker processes agree.
 *
 * The allowance window starts at the follower's last message: `channel_identities.last_seen_at` of
 * the 'official-account' identity. That value is refreshed at most every 10 minutes, so it may be up
 * to 10 minutes older than the real last message: the window we assume then ends earlier and counts
 * sends WeChat has already forgotten — both on the safe side. (Only messages touch the identity;
 * events such as follow or menu clicks, which WeChat allows only 3 messages in 1 minute after, do not.)
 */

export const CUSTOMER_SERVICE_WINDOW_MS = 48 * 3_600_000;
export const CUSTOMER_SERVICE_ALLOWANCE = 5;
const KEEP_ROWS_MS = 7 * 24 * 3_600_000;

export type AllowanceClaim =
  | { kind: 'claimed'; partsSent: number }
  /** Every part was taken by WeChat already (a retry after a worker died before marking the row). */
  | { kind: 'done' }
  | { kind: 'no_window'; reason: string };

interface SendRow {
  parts: number;
  partsSent: number;
  refused: number;
  at: number;
}

const ownRow = (database: Database, dedupeKey: string, route: 'customer_service' | 'subscribe') =>
  statement<[string, string], SendRow & { templateId: string | null }>(
    database,
    'SELECT parts, parts_sent AS partsSent, refused, at, template_id AS templateId FROM official_account_sends WHERE dedupe_key = ? AND route = ?',
  ).get(dedupeKey, route);

/** When the follower last wrote to the account (null: never, or unknown to us). */
export function lastUserMessageAt(database: Database, openId: string): number | null {
  const row = statement<[string], { at: number }>(database, "SELECT last_seen_at AS at FROM channel_identities WHERE channel = 'official-account' AND external_id = ?").get(openId);
  return row?.at ?? null;
}

/**
 * Claims `parts` customer-service sends for a message, if the follower's allowance has room: within
 * 48 h of their last message, and at most 5 sends since it (this message's own earlier claim reused).
 */
export function claimCustomerService(
  database: Database,
  input: { openId: string; dedupeKey: string; parts: number; now: number; windowMs?: number; allowance?: number },
): AllowanceClaim {
  const windowMs = input.windowMs ?? CUSTOMER_SERVICE_WINDOW_MS;
  const allowance = input.allowance ?? CUSTOMER_SERVICE_ALLOWANCE;
  return database.write(() => {
    const own = ownRow(database, input.dedupeKey, 'customer_service');
    if (own && own.partsSent >= own.parts && !own.refused) return { kind: 'done' as const };
    if (allowance === 0) return { kind: 'no_window' as const, reason: 'customer-service messages are turned off (WECHAT_OA_CS_ALLOWANCE=0)' };
    if (own?.refused) return { kind: 'no_window' as const, reason: 'WeChat refused this message outside the allowance before' };
    const since = lastUserMessageAt(database, input.openId);
    if (since === null) return { kind: 'no_window' as const, reason: 'the follower never wrote to the account' };
    if (input.now >= since + windowMs) return { kind: 'no_window' as const, reason: 'the follower last wrote more than 48 hours ago' };
    if (input.parts > allowance) return { kind: 'no_window' as const, reason: `the text needs ${input.parts} messages, more than the allowance` };
    statement(database, "DELETE FROM official_account_sends WHERE open_id = ? AND at < ?").run(input.openId, input.now - KEEP_ROWS_MS);
    const used =
      statement<[string, number, string], { n: number | null }>(
        database,
        "SELECT sum(parts) AS n FROM official_account_sends WHERE open_id = ? AND route = 'customer_service' AND at >= ? AND dedupe_key <> ?",
      ).get(input.openId, since, input.dedupeKey)?.n ?? 0;
    if (used + input.parts > allowance) return { kind: 'no_window' as const, reason: `${used} of ${allowance} customer-service messages used since the follower last wrote` };
    statement(
      database,
      `INSERT INTO official_account_sends (dedupe_key, route, open_id, template_id, parts, parts_sent, refused, at) VALUES (?, 'customer_service', ?, NULL, ?, 0, 0, ?)
       ON CONFLICT (dedupe_key, route) DO UPDATE SET parts = excluded.parts, at = excluded.at`,
    ).run(input.dedupeKey, input.openId, input.parts, input.now);
    return { kind: 'claimed' as const, partsSent: Math.min(own?.partsSent ?? 0, input.parts) };
  });
}

/** WeChat took part `partsSent` (1-based count) of the message. */
export function recordCustomerServicePart(database: Database, dedupeKey: string, partsSent: number): void {
  database.write(() =>
    statement(database, "UPDATE official_account_sends SET parts_sent = max(parts_sent, ?) WHERE dedupe_key = ? AND route = 'customer_service'").run(partsSent, dedupeKey),
  );
}

/**
 * WeChat refused (45015/45047): its count is ahead of ours. The claim now covers the whole allowance,
 * so no other message tries until the follower writes again.
 */
export function markAllowanceRefused(database: Database, dedupeKey: string, allowance = CUSTOMER_SERVICE_ALLOWANCE): void {
  database.write(() =>
    statement(database, "UPDATE official_account_sends SET refused = 1, parts = max(parts, ?) WHERE dedupe_key = ? AND route = 'customer_service'").run(allowance, dedupeKey),
  );
}

export type CreditHold = { kind: 'held'; sent: boolean } | { kind: 'none' };

/**
 * Holds one subscribe credit of `templateId` for this message: the one held before, or a new one
 * taken from the user's credits in `app` (the Official Account's or the mini-program's: an outbox
 * message goes through one channel, so its dedupe key names its hold alone).
 */
export function holdSubscribeCredit(database: Database, app: SubscribeApp, input: { openId: string; templateId: string; dedupeKey: string; now: number }): CreditHold {
  return database.write(() => {
    const own = ownRow(database, input.dedupeKey, 'subscribe');
    if (own && own.templateId === input.templateId) return { kind: 'held' as const, sent: own.partsSent > 0 };
    if (!takeSubscribeCredit(database, { app, openId: input.openId, templateId: input.templateId }, input.now)) return { kind: 'none' as const };
    statement(
      database,
      `INSERT INTO official_account_sends (dedupe_key, route, open_id, template_id, parts, parts_sent, refused, at) VALUES (?, 'subscribe', ?, ?, 1, 0, 0, ?)
       ON CONFLICT (dedupe_key, route) DO UPDATE SET template_id = excluded.template_id, parts_sent = 0, at = excluded.at`,
    ).run(input.dedupeKey, input.openId, input.templateId, input.now);
    return { kind: 'held' as const, sent: false };
  });
}

export function recordSubscribeSent(database: Database, dedupeKey: string): void {
  database.write(() => statement(database, "UPDATE official_account_sends SET parts_sent = 1 WHERE dedupe_key = ? AND route = 'subscribe'").run(dedupeKey));
}

/** Drops the hold; `giveBack`: WeChat refused without using the credit, so the user keeps it. */
export function releaseSubscribeCredit(database: Database, app: SubscribeApp, input: { openId: string; templateId: string; dedupeKey: string; now: number; giveBack: boolean }): void {
  database.write(() => {
    const removed = statement(database, "DELETE FROM official_account_sends WHERE dedupe_key = ? AND route = 'subscribe' AND parts_sent = 0").run(input.dedupeKey).changes;
    if (removed === 1 && input.giveBack) returnSubscribeCredit(database, { app, openId: input.openId, templateId: input.templateId }, input.now);
  });
}
