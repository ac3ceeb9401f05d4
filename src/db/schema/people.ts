import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { townships, villages } from './organisation.ts';

/** People, their roles, their channel identities, and the rooms (group chats). */

export interface PublicProfile {
  position?: string;
  phone?: string;
  photoUrl?: string;
  hours?: string;
}

export const people = sqliteTable(
  'people',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    phone: text('phone'),
    villageCode: text('village_code').references(() => villages.code),
    tags: text('tags', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    publicProfile: text('public_profile', { mode: 'json' }).$type<PublicProfile>(),
    /** roster: loaded by an admin; chat: registered themselves; agent/centre: entered by staff for someone who came or phoned. */
    source: text('source', { enum: ['roster', 'chat', 'agent', 'centre'] }).notNull(),
    /**
     * When WeChat verified the phone as this person's (getPhoneNumber). A phone a person typed when
     * registering themselves (source chat) is only a claim until then: it never shadows a roster person.
     */
    phoneVerifiedAt: integer('phone_verified_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('people_village_idx').on(t.villageCode)],
);

export const personRoles = sqliteTable(
  'person_roles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: text('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['resident', 'collector', 'agent', 'centre_staff', 'supervisor', 'admin'] }).notNull(),
    /** Scope: a village, a township, or neither (county-wide). */
    villageCode: text('village_code').references(() => villages.code),
    townshipCode: text('township_code').references(() => townships.code),
  },
  (t) => [
    index('person_roles_person_idx').on(t.personId),
    index('person_roles_village_idx').on(t.villageCode, t.role),
    index('person_roles_township_idx').on(t.townshipCode, t.role),
  ],
);

/** How a person is reached on a channel (an OpenID, a wechaty contact, a simulator name). */
export const channelIdentities = sqliteTable(
  'channel_identities',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').notNull(),
    externalId: text('external_id').notNull(),
    /** Null until the person registers (or after the identity was anonymised). */
    personId: text('person_id').references(() => people.id),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    /**
     * When the user last wrote (text, voice, a photo, a location): the Official Account's 48-hour
     * customer-service window. Refreshed at most every 10 minutes, like lastSeenAt (so never later than the truth).
     */
    lastMessageAt: integer('last_message_at'),
    /** When the user last acted without writing (a follow, a scan, a menu click): WeChat then allows 3 messages within 1 minute. */
    lastEventAt: integer('last_event_at'),
    /**
     * WeChat's UnionID (the same for one person across the Official Account and the mini-program of
     * one open-platform account): identities sharing it belong to one person.
     */
    unionId: text('union_id'),
    /** When the Official Account was last asked for the follower's UnionID (user/info); null: not yet. */
    unionCheckedAt: integer('union_checked_at'),
  },
  (t) => [
    uniqueIndex('channel_identities_external_uq').on(t.channel, t.externalId),
    index('channel_identities_person_idx').on(t.personId),
    index('channel_identities_union_idx')
      .on(t.unionId)
      .where(sql`union_id IS NOT NULL`),
  ],
);

/** Group chats bound to a village's agents or to a township centre. */
export const rooms = sqliteTable(
  'rooms',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').notNull(),
    externalId: text('external_id').notNull(),
    kind: text('kind', { enum: ['village_agents', 'centre'] }).notNull(),
    villageCode: text('village_code').references(() => villages.code),
    townshipCode: text('township_code').references(() => townships.code),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('rooms_external_uq').on(t.channel, t.externalId), index('rooms_village_idx').on(t.villageCode)],
);
