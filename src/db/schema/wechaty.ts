import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { people } from './people.ts';
import { townships, villages } from './organisation.ts';

/**
 * The Wechaty channel's own bookkeeping. Personal-account protocols change contact and room ids at
 * every login, so Daiban never stores a wechaty id as an identity: each contact and room gets a
 * stable key of ours (`wxc-…`, `wxr-…`, what channel_identities and rooms hold), linked to the id of
 * the current session and to what finds it again after the next login (name and alias, room topic).
 */

/** One-time codes an admin issues; `绑定 <code>` in a private chat binds a person, in a group a room. */
export const wechatyBindCodes = sqliteTable('wechaty_bind_codes', {
  code: text('code').primaryKey(),
  /** person: a roster person (private chat); village_agents / centre: a room of that kind. */
  target: text('target', { enum: ['person', 'village_agents', 'centre'] }).notNull(),
  personId: text('person_id').references(() => people.id),
  villageCode: text('village_code').references(() => villages.code),
  townshipCode: text('township_code').references(() => townships.code),
  issuedAt: integer('issued_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
  /** The stable key (contact or room) the code was used by. */
  usedBy: text('used_by'),
});

/** Stable keys of contacts and rooms, with the current session's id and how to find them again. */
export const wechatyLinks = sqliteTable(
  'wechaty_links',
  {
    key: text('key').primaryKey(),
    kind: text('kind', { enum: ['contact', 'room'] }).notNull(),
    /** The id in the current (or last) session; null when it was not found again after a login. */
    wechatyId: text('wechaty_id'),
    /** Contact name or room topic: how the link is found again after a re-login. */
    name: text('name').notNull(),
    /** The contact's alias (remark name) set by the bot's account, when there is one. */
    alias: text('alias'),
    createdAt: integer('created_at').notNull(),
    resolvedAt: integer('resolved_at').notNull(),
  },
  (t) => [uniqueIndex('wechaty_links_id_uq').on(t.kind, t.wechatyId), index('wechaty_links_name_idx').on(t.kind, t.name)],
);
