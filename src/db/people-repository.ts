import { and, asc, eq } from 'drizzle-orm';
import type { Database } from './open-database.ts';
import { channelIdentities, people, personRoles } from './schema.ts';
import { statement } from './statement-cache.ts';

/** People, their roles and their channel identities. */

export type IdentityRow = typeof channelIdentities.$inferSelect;
export type PersonRow = typeof people.$inferSelect;
export type RoleRow = typeof personRoles.$inferSelect;

/** lastSeenAt and lastMessageAt are refreshed at most this often, to spare a page write on every message. */
const LAST_SEEN_RESOLUTION_MS = 10 * 60_000;
const IDENTITY_COLUMNS =
  'id, channel, external_id AS externalId, person_id AS personId, created_at AS createdAt, last_seen_at AS lastSeenAt, last_message_at AS lastMessageAt, last_event_at AS lastEventAt, union_id AS unionId, union_checked_at AS unionCheckedAt';

/**
 * What the user did: wrote (`message`), or acted without writing (`event`: a follow, a scan, a menu
 * click). The Official Account allows customer-service messages for 48 hours after the one, and 3
 * within a minute after the other.
 */
export type UserAction = 'message' | 'event';

/**
 * The identity of a channel user, created on first contact; lastSeenAt and the time of this kind of
 * action refreshed (an event's time exactly: its window is one minute). (Hot path: plain SQL.)
 */
export function touchIdentity(database: Database, channel: string, externalId: string, now: number, action: UserAction = 'message'): IdentityRow {
  const found = statement<[string, string], IdentityRow>(
    database,
    `SELECT ${IDENTITY_COLUMNS} FROM channel_identities WHERE channel = ? AND external_id = ?`,
  ).get(channel, externalId);
  if (
    found &&
    action === 'message' &&
    found.lastMessageAt !== null &&
    now - found.lastMessageAt < LAST_SEEN_RESOLUTION_MS &&
    now - found.lastSeenAt < LAST_SEEN_RESOLUTION_MS
  )
    return found;
  const message = action === 'message' ? now : null;
  const event = action === 'event' ? now : null;
  return statement<[string, string, number, number, number | null, number | null], IdentityRow>(
    database,
    `INSERT INTO channel_identities (channel, external_id, person_id, created_at, last_seen_at, last_message_at, last_event_at) VALUES (?, ?, NULL, ?, ?, ?, ?)
     ON CONFLICT (channel, external_id) DO UPDATE SET last_seen_at = excluded.last_seen_at,
       last_message_at = coalesce(excluded.last_message_at, last_message_at), last_event_at = coalesce(excluded.last_event_at, last_event_at)
     RETURNING ${IDENTITY_COLUMNS}`,
  ).get(channel, externalId, now, now, message, event) as IdentityRow;
}

interface PersonSqlRow extends Omit<PersonRow, 'tags' | 'publicProfile'> {
  tags: string;
  publicProfile: string | null;
}

/** (Hot path: plain SQL.) */
export function personById(database: Database, id: string): PersonRow | undefined {
  const row = statement<[string], PersonSqlRow>(
    database,
    `SELECT id, name, phone, village_code AS villageCode, tags, public_profile AS publicProfile, source, created_at AS createdAt, updated_at AS updatedAt
     FROM people WHERE id = ?`,
  ).get(id);
  if (!row) return undefined;
  return {
    ...row,
    tags: JSON.parse(row.tags) as string[],
    publicProfile: row.publicProfile ? (JSON.parse(row.publicProfile) as PersonRow['publicProfile']) : null,
  };
}

export function rolesOf(database: Database, personId: string): RoleRow[] {
  return database.db.select().from(personRoles).where(eq(personRoles.personId, personId)).orderBy(asc(personRoles.id)).all();
}

/**
 * SQL: the person's phone is one the county can vouch for — loaded with the roster, entered by staff,
 * or verified by WeChat. A phone someone typed about themselves (registering by chat or in the
 * mini-program) is only a claim: it is found only where no vouched-for person has it.
 */
export const TRUSTED_PHONE = "(source <> 'chat' OR phone_verified_at IS NOT NULL)";

export function createResident(
  database: Database,
  p: {
    id: string;
    name: string;
    phone: string | null;
    villageCode: string;
    tags: string[];
    source?: 'chat' | 'agent' | 'centre';
    phoneVerified?: boolean;
    now: number;
  },
): void {
  database.db
    .insert(people)
    .values({
      id: p.id,
      name: p.name,
      phone: p.phone,
      villageCode: p.villageCode,
      tags: p.tags,
      source: p.source ?? 'chat',
      phoneVerifiedAt: p.phone && p.phoneVerified ? p.now : null,
      createdAt: p.now,
      updatedAt: p.now,
    })
    .run();
  database.db.insert(personRoles).values({ personId: p.id, role: 'resident', villageCode: p.villageCode, townshipCode: null }).run();
}

export function linkIdentity(database: Database, identityId: number, personId: string): void {
  database.db.update(channelIdentities).set({ personId }).where(eq(channelIdentities.id, identityId)).run();
}

/** A person's channel identities, oldest first. (Asked for every notice to a resident: plain SQL.) */
export function identitiesOf(database: Database, personId: string): IdentityRow[] {
  return statement<[string], IdentityRow>(database, `SELECT ${IDENTITY_COLUMNS} FROM channel_identities WHERE person_id = ? ORDER BY id`).all(personId);
}

export function identityOn(database: Database, personId: string, channel: string): IdentityRow | undefined {
  return database.db
    .select()
    .from(channelIdentities)
    .where(and(eq(channelIdentities.personId, personId), eq(channelIdentities.channel, channel)))
    .orderBy(asc(channelIdentities.id))
    .get();
}

/** Records WeChat's UnionID of an identity (null: WeChat has none for it) and when it was asked. */
export function recordUnionId(database: Database, identityId: number, unionId: string | null, now: number): void {
  statement(database, 'UPDATE channel_identities SET union_id = coalesce(?, union_id), union_checked_at = ? WHERE id = ?').run(unionId, now, identityId);
}

/** The identities that share a UnionID, with their person. */
export function identitiesWithUnionId(database: Database, unionId: string): { id: number; personId: string | null }[] {
  return statement<[string], { id: number; personId: string | null }>(
    database,
    'SELECT id, person_id AS personId FROM channel_identities WHERE union_id = ? ORDER BY id',
  ).all(unionId);
}

/** Official Account followers whose UnionID was never asked for, or asked for long ago without one. */
export function followersWithoutUnionId(database: Database, q: { channel: string; askedBefore: number; limit: number }): { id: number; openId: string }[] {
  return statement<[string, number, number], { id: number; openId: string }>(
    database,
    `SELECT id, external_id AS openId FROM channel_identities
     WHERE channel = ? AND union_id IS NULL AND (union_checked_at IS NULL OR union_checked_at < ?) ORDER BY id LIMIT ?`,
  ).all(q.channel, q.askedBefore, q.limit);
}
