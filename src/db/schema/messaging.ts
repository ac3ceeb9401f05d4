import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { errands } from './errands.ts';
import { channelIdentities } from './people.ts';

/** Conversation state, the inbox (de-duplication), the outbox and shared settings. */

export const conversations = sqliteTable('conversations', {
  identityId: integer('identity_id')
    .primaryKey()
    .references(() => channelIdentities.id),
  flowId: text('flow_id'),
  flowVersion: integer('flow_version'),
  schemaVersion: integer('schema_version').notNull(),
  state: text('state', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  /** Compare-and-set guard: a save succeeds only against the revision that was read. */
  revision: integer('revision').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** De-duplication of inbound deliveries by the channel's message id. */
export const inbox = sqliteTable(
  'inbox',
  {
    channel: text('channel').notNull(),
    messageId: text('message_id').notNull(),
    identityId: integer('identity_id'),
    receivedAt: integer('received_at').notNull(),
    /** The texts answered the first time, returned again for a re-delivery. */
    response: text('response', { mode: 'json' }).$type<string[]>(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.messageId] }), index('inbox_received_idx').on(t.receivedAt)],
);

/** Every message the bot sends: direct replies (sent with the answer) and notifications (sent later). */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').notNull(),
    /** The recipient's channel identity (external id), or null for a room message. */
    recipient: text('recipient'),
    room: text('room'),
    text: text('text').notNull(),
    kind: text('kind', { enum: ['reply', 'notification'] }).notNull(),
    errandId: integer('errand_id').references(() => errands.id),
    dedupeKey: text('dedupe_key'),
    status: text('status', { enum: ['pending', 'sent', 'dead'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    /** Order of sending (replies at once, notifications when delivered): what "after" pages by. */
    sentSeq: integer('sent_seq'),
    lastError: text('last_error'),
  },
  // Partial indexes: a direct reply (most rows) touches only one of them.
  (t) => [
    uniqueIndex('outbox_dedupe_uq')
      .on(t.dedupeKey)
      .where(sql`dedupe_key IS NOT NULL`),
    index('outbox_recipient_idx')
      .on(t.channel, t.recipient, t.sentSeq)
      .where(sql`room IS NULL`),
    index('outbox_room_idx')
      .on(t.channel, t.room, t.sentSeq)
      .where(sql`room IS NOT NULL`),
    index('outbox_pending_idx')
      .on(t.id)
      .where(sql`status = 'pending'`),
    // Dead letters are few: counted by /healthz and 统计, listed by the admin API.
    index('outbox_dead_idx')
      .on(t.createdAt)
      .where(sql`status = 'dead'`),
    uniqueIndex('outbox_sent_seq_uq')
      .on(t.sentSeq)
      .where(sql`sent_seq IS NOT NULL`),
  ],
);

/** Small shared values, e.g. the roster's and the catalogue's change counters (caches compare them). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * The simulator channel's far end: what reached the "remote", one row per de-duplication key. A
 * repeat of a key (a worker died after sending, before marking) is counted, not delivered again,
 * as a WeChat-side duplicate check would do.
 */
export const simulatorDeliveries = sqliteTable('simulator_deliveries', {
  dedupeKey: text('dedupe_key').primaryKey(),
  outboxId: integer('outbox_id').notNull(),
  deliveredAt: integer('delivered_at').notNull(),
  repeats: integer('repeats').notNull().default(0),
});
