import { and, asc, desc, eq, gt, inArray, isNull, lt } from 'drizzle-orm';
import { maskNamesIn } from '../domain/masking.ts';
import { namesOnErrands } from './errand-queries.ts';
import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';
import { outbox } from './schema.ts';

/** Every message the bot sends, in order; notifications wait here until a worker delivers them. */

export type OutboxRow = typeof outbox.$inferSelect;

export interface NewOutboxMessage {
  channel: string;
  recipient: string | null;
  room: string | null;
  text: string;
  kind: 'reply' | 'notification';
  errandId?: number | null;
  /** Same key, same message: a second insert is ignored. */
  dedupeKey?: string | null;
  /** A reply the channel sends later (through the worker) instead of with its answer. */
  later?: boolean;
}

/**
 * Inserts messages; replies are sent already (they go out with the answer), notifications (and
 * replies marked `later`) wait.
 * Returns the ids of the rows inserted (a message whose dedupe key exists is skipped).
 * (Hot path: plain SQL.)
 */
export function insertOutbox(database: Database, messages: readonly NewOutboxMessage[], now: number): number[] {
  const insert = statement<unknown[], { id: number }>(
    database,
    `INSERT INTO outbox (channel, recipient, room, text, kind, errand_id, dedupe_key, status, attempts, created_at, sent_at, sent_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN ${NEXT_SEQ} END) ON CONFLICT DO NOTHING RETURNING id`,
  );
  const ids: number[] = [];
  // The full names on each errand a group notice concerns, read once per errand for this batch.
  const names = new Map<number, string[]>();
  const namesOn = (errandId: number) => names.get(errandId) ?? names.set(errandId, namesOnErrands(database, [errandId])).get(errandId) ?? [];
  for (const m of messages) {
    const sent = m.kind === 'reply' && m.later !== true;
    // A group never reads a full name on the errand, whatever template wrote the notice.
    const text = m.room && m.errandId ? maskNamesIn(m.text, namesOn(m.errandId)) : m.text;
    const row = insert.get(
      m.channel,
      m.recipient,
      m.room,
      text,
      m.kind,
      m.errandId ?? null,
      m.dedupeKey ?? null,
      sent ? 'sent' : 'pending',
      sent ? 1 : 0,
      now,
      sent ? now : null,
      sent ? 1 : 0,
    );
    if (row) ids.push(row.id);
  }
  return ids;
}

/**
 * Takes back direct replies recorded as sent with an answer that, as it turned out, did not carry them
 * (the Official Account's passive answer was too late or too short for them): the channel records
 * what really went out instead. Only 'sent' replies are taken back. Returns how many.
 */
export function retractReplies(database: Database, ids: readonly number[]): number {
  if (!ids.length) return 0;
  return database.db
    .delete(outbox)
    .where(and(inArray(outbox.id, [...ids]), eq(outbox.kind, 'reply'), eq(outbox.status, 'sent')))
    .run().changes;
}

/** The next number in sending order (the partial unique index makes max() a single lookup). */
const NEXT_SEQ = '(SELECT coalesce(max(sent_seq), 0) + 1 FROM outbox WHERE sent_seq IS NOT NULL)';

/** (Hot path of the outbox worker: plain SQL.) */
export function outboxById(database: Database, id: number): OutboxRow | undefined {
  return statement<[number], OutboxRow>(
    database,
    `SELECT id, channel, recipient, room, text, kind, errand_id AS errandId, dedupe_key AS dedupeKey, status, attempts,
       created_at AS createdAt, sent_at AS sentAt, sent_seq AS sentSeq, last_error AS lastError FROM outbox WHERE id = ?`,
  ).get(id);
}

/** Pending rows with an id above `after`, oldest first. */
export function pendingOutboxIds(database: Database, after: number, limit: number): number[] {
  return database.db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), gt(outbox.id, after)))
    .orderBy(asc(outbox.id))
    .limit(limit)
    .all()
    .map((r) => r.id);
}

type Conversation = Pick<OutboxRow, 'id' | 'channel' | 'recipient' | 'room'>;

/**
 * The nearest message before (or after) this one to the same person or room that is still waiting
 * to be sent. A later message waits for an earlier one (a retry, a sending limit), so that a
 * conversation never reads out of order; once a message is sent, the next one is woken.
 */
export function unsentNeighbour(database: Database, row: Conversation, side: 'before' | 'after'): number | undefined {
  // sent_seq IS NULL keeps the lookup inside the recipient/room indexes (unsent rows have none).
  const target = row.room === null ? 'recipient = ? AND room IS NULL' : 'room = ? AND room IS NOT NULL';
  const order = side === 'before' ? 'id < ?' : 'id > ? ORDER BY id';
  const found = statement<[string, string | null, number], { id: number }>(
    database,
    `SELECT id FROM outbox WHERE channel = ? AND ${target} AND sent_seq IS NULL AND status = 'pending' AND ${order} LIMIT 1`,
  ).get(row.channel, row.room ?? row.recipient, row.id);
  return found?.id;
}

/** Marks a pending message sent; false when another worker did it already. */
export function markOutboxSent(database: Database, id: number, now: number): boolean {
  return (
    statement(database, `UPDATE outbox SET status = 'sent', sent_at = ?, sent_seq = ${NEXT_SEQ} WHERE id = ? AND status = 'pending'`).run(now, id).changes === 1
  );
}

export function markOutboxFailed(database: Database, id: number, error: string, attempts: number, dead: boolean): void {
  database.db
    .update(outbox)
    .set({ lastError: error.slice(0, 500), attempts, ...(dead ? { status: 'dead' as const } : {}) })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'pending')))
    .run();
}

/** What the bot sent through one channel to one identity or one room, in sending order, after a sending number. */
export function sentMessages(database: Database, q: { channel: string; to?: string; room?: string; after: number; limit: number }): OutboxRow[] {
  const target = q.room !== undefined ? eq(outbox.room, q.room) : and(eq(outbox.recipient, q.to ?? ''), isNull(outbox.room));
  return database.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.channel, q.channel), target, eq(outbox.status, 'sent'), gt(outbox.sentSeq, q.after)))
    .orderBy(asc(outbox.sentSeq))
    .limit(q.limit)
    .all();
}

export function outboxStatuses(database: Database, ids: readonly number[]): OutboxRow[] {
  if (!ids.length) return [];
  return database.db
    .select()
    .from(outbox)
    .where(inArray(outbox.id, [...ids]))
    .all();
}

export function outboxKeyExists(database: Database, dedupeKey: string): boolean {
  return statement<[string], { n: number }>(database, 'SELECT count(*) AS n FROM outbox WHERE dedupe_key = ?').get(dedupeKey)!.n > 0;
}

/** The channel of each row (rows that do not exist are left out). */
export function outboxChannels(database: Database, ids: readonly number[]): { id: number; channel: string }[] {
  if (!ids.length) return [];
  return statement<[string], { id: number; channel: string }>(database, 'SELECT id, channel FROM outbox WHERE id IN (SELECT value FROM json_each(?))').all(
    JSON.stringify(ids),
  );
}

/** Pending rows written before `before`: the sweep checks that their jobs still exist. */
export function stalePendingOutboxIds(database: Database, before: number, limit: number): number[] {
  return statement<[number, number], { id: number }>(database, "SELECT id FROM outbox WHERE status = 'pending' AND created_at < ? ORDER BY id LIMIT ?")
    .all(before, limit)
    .map((r) => r.id);
}

/** Dead letters: messages given up on (permanent refusal, attempts used up, channel not enabled), newest first. */
export function deadLetters(database: Database, q: { limit: number; beforeId?: number }): OutboxRow[] {
  return database.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.status, 'dead'), q.beforeId === undefined ? undefined : lt(outbox.id, q.beforeId)))
    .orderBy(desc(outbox.id))
    .limit(q.limit)
    .all();
}

/** Puts a dead letter back in line (attempts start again); false when the row is not dead. */
export function reviveDeadLetter(database: Database, id: number): boolean {
  return (
    database.db
      .update(outbox)
      .set({ status: 'pending', attempts: 0 })
      .where(and(eq(outbox.id, id), eq(outbox.status, 'dead')))
      .run().changes === 1
  );
}

/** Notifications waiting to be sent and dead letters, for /healthz. */
export function outboxBacklog(database: Database): { pending: number; dead: number } {
  const row = statement<[], { pending: number; dead: number }>(
    database,
    "SELECT (SELECT count(*) FROM outbox WHERE status = 'pending') AS pending, (SELECT count(*) FROM outbox WHERE status = 'dead') AS dead",
  ).get();
  return { pending: row?.pending ?? 0, dead: row?.dead ?? 0 };
}

/**
 * Marks a pending message sent through `route` (recorded in outbox_routes) and writes the messages
 * handed over to other channels, in one transaction. Returns the ids of the hand-overs inserted;
 * null when the message was not pending any more (nothing written).
 */
export function markOutboxSentVia(
  database: Database,
  input: { id: number; route: string; detail: string; handOver: readonly NewOutboxMessage[]; now: number },
): number[] | null {
  return database.write(() => {
    if (!markOutboxSent(database, input.id, input.now)) return null;
    statement(database, 'INSERT INTO outbox_routes (outbox_id, route, detail, at) VALUES (?, ?, ?, ?) ON CONFLICT (outbox_id) DO NOTHING').run(
      input.id,
      input.route,
      input.detail.slice(0, 1000),
      input.now,
    );
    return insertOutbox(database, input.handOver, input.now);
  });
}

/** How a delivered message reached its recipient, when its channel recorded it. */
export function outboxRouteOf(database: Database, id: number): { route: string; detail: string; at: number } | undefined {
  return statement<[number], { route: string; detail: string; at: number }>(database, 'SELECT route, detail, at FROM outbox_routes WHERE outbox_id = ?').get(
    id,
  );
}
