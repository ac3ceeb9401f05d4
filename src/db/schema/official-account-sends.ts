import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { outbox } from './messaging.ts';

/**
 * What the Official Account sender did for each outbox message, shared by every worker process:
 *
 * - route `customer_service`: the message's claim on the follower's customer-service allowance (5
 *   messages within 48 h after the follower's last message, or 3 within a minute of a follow, scan
 *   or menu click). `parts` is what the claim counts (a
 *   long text goes out in several sends); `partsSent` how many of them WeChat took, so that a retry on
 *   any worker sends only the rest; `refused` is set when WeChat answered 45015/45047 (our count
 *   was behind WeChat's): the claim then counts the whole allowance until the follower writes again.
 * - route `subscribe`: a subscribe-message credit held for this message (`templateId`), so that a
 *   retry does not take a second one; `partsSent` 1 once WeChat took it. The mini-program's sender
 *   keeps its holds here too (an outbox message goes through one channel: its key is its own).
 *
 * Rows older than a week are pruned as the follower's next messages go out.
 */
export const officialAccountSends = sqliteTable(
  'official_account_sends',
  {
    dedupeKey: text('dedupe_key').notNull(),
    route: text('route', { enum: ['customer_service', 'subscribe'] }).notNull(),
    openId: text('open_id').notNull(),
    templateId: text('template_id'),
    parts: integer('parts').notNull(),
    partsSent: integer('parts_sent').notNull().default(0),
    refused: integer('refused', { mode: 'boolean' }).notNull().default(false),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.dedupeKey, t.route] }), index('official_account_sends_user_idx').on(t.openId, t.route, t.at)],
);

/**
 * How a delivered outbox message reached its recipient when the channel had several ways
 * (the Official Account: customer_service, template, subscribe, or agent_task — handed to the
 * village agent to phone or visit; the mini-program: subscribe or agent_task), with what was tried before. Written in the transaction that
 * marks the message sent.
 */
export const outboxRoutes = sqliteTable('outbox_routes', {
  outboxId: integer('outbox_id')
    .primaryKey()
    .references(() => outbox.id),
  route: text('route').notNull(),
  /** What was tried, in order, e.g. "customer_service: errcode 45015; template: ok". */
  detail: text('detail').notNull(),
  at: integer('at').notNull(),
});
