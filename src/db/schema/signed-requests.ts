import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Signed requests already used: a WeChat signature that does not cover the body (plain mode) is
 * remembered by its key (timestamp and nonce) with a digest of the body until its timestamp is no
 * longer accepted, so that it serves one body only. In the database, not in Redis: claimed in the
 * same transaction as the message it carries, shared by every web process, and there while Redis is
 * away. The key starts with its expiry (zero-padded milliseconds), so keys are written in time order
 * and the expired ones are one range at the front; the table is WITHOUT ROWID (in the migration,
 * which drizzle cannot declare): one B-tree, about one page per commit.
 */
export const signedRequests = sqliteTable('signed_requests', {
  key: text('key').primaryKey(),
  digest: text('digest').notNull(),
});
