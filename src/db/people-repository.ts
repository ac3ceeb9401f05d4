import { and, asc, eq } from 'drizzle-orm';
import type { Database } from './open-database.ts';
import { channelIdentities, people, personRoles } from './schema.ts';

/** People, their roles and their channel identities. */

export type IdentityRow = typeof channelIdentities.$inferSelect;
export type PersonRow = typeof people.$inferSelect;
export type RoleRow = typeof personRoles.$inferSelect;

/** The identity of a channel user, created on first contact; lastSeenAt refreshed. */
export function touchIdentity(database: Database, channel: string, externalId: string, now: number): IdentityRow {
  return database.db
    .insert(channelIdentities)
    .values({ channel, externalId, personId: null, createdAt: now, lastSeenAt: now })
    .onConflictDoUpdate({ target: [channelIdentities.channel, channelIdentities.externalId], set: { lastSeenAt: now } })
    .returning()
    .get();
}

export function personById(database: Database, id: string): PersonRow | undefined {
  return database.db.select().from(people).where(eq(people.id, id)).get();
}

export function rolesOf(database: Database, personId: string): RoleRow[] {
  return database.db.select().from(personRoles).where(eq(personRoles.personId, personId)).orderBy(asc(personRoles.id)).all();
}

export function createResident(
  database: Database,
  p: { id: string; name: string; phone: string | null; villageCode: string; tags: string[]; now: number },
): void {
  database.db
    .insert(people)
    .values({ id: p.id, name: p.name, phone: p.phone, villageCode: p.villageCode, tags: p.tags, source: 'chat', createdAt: p.now, updatedAt: p.now })
    .run();
  database.db.insert(personRoles).values({ personId: p.id, role: 'resident', villageCode: p.villageCode, townshipCode: null }).run();
}

export function linkIdentity(database: Database, identityId: number, personId: string): void {
  database.db.update(channelIdentities).set({ personId }).where(eq(channelIdentities.id, identityId)).run();
}

/** The first identity of a person on a channel (or on any channel when none there). */
export function identitiesOf(database: Database, personId: string): IdentityRow[] {
  return database.db.select().from(channelIdentities).where(eq(channelIdentities.personId, personId)).orderBy(asc(channelIdentities.id)).all();
}

export function identityOn(database: Database, personId: string, channel: string): IdentityRow | undefined {
  return database.db
    .select()
    .from(channelIdentities)
    .where(and(eq(channelIdentities.personId, personId), eq(channelIdentities.channel, channel)))
    .orderBy(asc(channelIdentities.id))
    .get();
}
