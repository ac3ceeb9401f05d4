import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';
import { clearSubscribeCredits, returnSubscribeCredit, takeSubscribeCredit, type SubscribeApp } from './subscribe-credits-repository.ts';

/**
 * The Official Account's per-message sending records (schema/official-account-sends.ts): claims on
 * a follower's customer-service allowance and subscribe-message credits held for a message. Every
 * function here runs in one write transaction, so several worker processes agree.
 *
 * The allowance: 5 sends within 48 h of the follower's last written message
 * (`channel_identities.last_message_at`, refreshed at most every 10 minutes, so up to 10 minutes
 * older than the real one: the window we assume then ends earlier and counts sends WeChat has
 * already forgotten — both on the safe side); failing that, 3 sends within 1 minute of their last
 * follow, scan or menu click (`last_event_at`, exact).
 */

export const CUSTOMER_SERVICE_WINDOW_MS = 48 * 3_600_000;
export const CUSTOMER_SERVICE_ALLOWANCE = 5;
export const EVENT_WINDOW_MS = 60_000;
export const EVENT_ALLOWANCE = 3;
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

/** When the follower last wrote to the account, and last followed, scanned or clicked (null: never, or unknown to us). */
export function lastUserActions(database: Database, openId: string): { messageAt: number | null; eventAt: number | null } {
  const row = statement<[string], { messageAt: number | null; eventAt: number | null }>(
    database,
    "SELECT last_message_at AS messageAt, last_event_at AS eventAt FROM channel_identities WHERE channel = 'official-account' AND external_id = ?",
  ).get(openId);
  return row ?? { messageAt: null, eventAt: null };
}

/**
 * Claims `parts` customer-service sends for a message, if the follower's allowance has room: at most
 * `allowance` (5) sends within 48 h of their last message, or else at most 3 within a minute of their
 * last follow, scan or menu click (this message's own earlier claim reused).
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
    const { messageAt, eventAt } = lastUserActions(database, input.openId);
    const windows = [
      ...(messageAt !== null && input.now < messageAt + windowMs ? [{ since: messageAt, allowance, after: 'the follower last wrote' }] : []),
      ...(eventAt !== null && input.now < eventAt + EVENT_WINDOW_MS
        ? [{ since: eventAt, allowance: Math.min(allowance, EVENT_ALLOWANCE), after: 'the follow, scan or click' }]
        : []),
    ];
    if (!windows.length) {
      const reason =
        messageAt === null
          ? 'the follower never wrote to the account (and did not follow, scan or click within the last minute)'
          : 'the follower last wrote more than 48 hours ago';
      return { kind: 'no_window' as const, reason };
    }
    statement(database, 'DELETE FROM official_account_sends WHERE open_id = ? AND at < ?').run(input.openId, input.now - KEEP_ROWS_MS);
    const usedSince = (since: number) =>
      statement<[string, number, string], { n: number | null }>(
        database,
        "SELECT sum(parts) AS n FROM official_account_sends WHERE open_id = ? AND route = 'customer_service' AND at >= ? AND dedupe_key <> ?",
      ).get(input.openId, since, input.dedupeKey)?.n ?? 0;
    const counted = windows.map((w) => ({ ...w, used: usedSince(w.since) }));
    if (!counted.some((w) => w.used + input.parts <= w.allowance)) {
      const reason = counted
        .map((w) =>
          input.parts > w.allowance
            ? `the text needs ${input.parts} messages, more than the ${w.allowance} allowed after ${w.after}`
            : `${w.used} of ${w.allowance} customer-service messages used since ${w.after}`,
        )
        .join('; ');
      return { kind: 'no_window' as const, reason };
    }
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
    statement(database, "UPDATE official_account_sends SET parts_sent = max(parts_sent, ?) WHERE dedupe_key = ? AND route = 'customer_service'").run(
      partsSent,
      dedupeKey,
    ),
  );
}

/**
 * WeChat refused (45015/45047): its count is ahead of ours. The claim now covers the whole allowance,
 * so no other message tries until the follower writes again.
 */
export function markAllowanceRefused(database: Database, dedupeKey: string, allowance = CUSTOMER_SERVICE_ALLOWANCE): void {
  database.write(() =>
    statement(database, "UPDATE official_account_sends SET refused = 1, parts = max(parts, ?) WHERE dedupe_key = ? AND route = 'customer_service'").run(
      allowance,
      dedupeKey,
    ),
  );
}

export type CreditHold = { kind: 'held'; sent: boolean } | { kind: 'none' };

/**
 * Holds one subscribe credit of `templateId` for this message: the one held before, or a new one
 * taken from the user's credits in `app` (the Official Account's or the mini-program's: an outbox
 * message goes through one channel, so its dedupe key names its hold alone).
 */
export function holdSubscribeCredit(
  database: Database,
  app: SubscribeApp,
  input: { openId: string; templateId: string; dedupeKey: string; now: number },
): CreditHold {
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

/** Drops the hold. `unused`: WeChat refused without using the credit, so the user keeps it; `no_subscription` (43101): the user has none left for the template. */
export function releaseSubscribeCredit(
  database: Database,
  app: SubscribeApp,
  input: { openId: string; templateId: string; dedupeKey: string; now: number; refusal: 'unused' | 'no_subscription' },
): void {
  const key = { app, openId: input.openId, templateId: input.templateId };
  database.write(() => {
    const removed = statement(database, "DELETE FROM official_account_sends WHERE dedupe_key = ? AND route = 'subscribe' AND parts_sent = 0").run(
      input.dedupeKey,
    ).changes;
    if (input.refusal === 'no_subscription') clearSubscribeCredits(database, key, input.now);
    else if (removed === 1) returnSubscribeCredit(database, key, input.now);
  });
}
