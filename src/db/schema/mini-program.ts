import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { channelIdentities } from './people.ts';

/**
 * The mini-program's sessions and idempotent requests. A session is our own random token handed to
 * the mini-program after jscode2session; only its SHA-256 is stored, next to WeChat's session_key,
 * which never leaves the server.
 */
export const miniProgramSessions = sqliteTable(
  'mini_program_sessions',
  {
    /** hex(sha256(token)): a stolen database does not give working tokens. */
    tokenHash: text('token_hash').primaryKey(),
    identityId: integer('identity_id')
      .notNull()
      .references(() => channelIdentities.id),
    openId: text('open_id').notNull(),
    unionId: text('union_id'),
    /** WeChat's session_key (for decrypting data the mini-program sends later); never answered. */
    sessionKey: text('session_key').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('mini_program_sessions_identity_idx').on(t.identityId), index('mini_program_sessions_expiry_idx').on(t.expiresAt)],
);

/** One filing per (identity, Idempotency-Key): a retried request gets the first answer again. */
export const miniProgramRequests = sqliteTable(
  'mini_program_requests',
  {
    identityId: integer('identity_id')
      .notNull()
      .references(() => channelIdentities.id),
    idempotencyKey: text('idempotency_key').notNull(),
    /** sha256 of the request body: the same key with another body is refused. */
    requestHash: text('request_hash').notNull(),
    response: text('response', { mode: 'json' }).$type<unknown>().notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.identityId, t.idempotencyKey] })],
);
