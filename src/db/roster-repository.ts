import { eq, sql } from 'drizzle-orm';
import type { Roster } from '../roster/roster-schema.ts';
import type { Database } from './open-database.ts';
import { channelIdentities, county, people, personRoles, rooms, settings, townships, villages } from './schema.ts';

/** Writes a roster (upsert by code and id) and bumps the roster version that caches watch. */

export interface RosterCounts {
  townships: number;
  villages: number;
  people: number;
  identities: number;
  rooms: number;
}

export const ROSTER_VERSION_KEY = 'roster_version';

export function storedCodes(database: Database): { villageCodes: Set<string>; townshipCodes: Set<string> } {
  const { db } = database;
  return {
    villageCodes: new Set(
      db
        .select({ code: villages.code })
        .from(villages)
        .all()
        .map((r) => r.code),
    ),
    townshipCodes: new Set(
      db
        .select({ code: townships.code })
        .from(townships)
        .all()
        .map((r) => r.code),
    ),
  };
}

export function bumpSetting(database: Database, key: string): void {
  database.db
    .insert(settings)
    .values({ key, value: '1' })
    .onConflictDoUpdate({ target: settings.key, set: { value: sql`CAST(${settings.value} AS INTEGER) + 1` } })
    .run();
}

export function readSetting(database: Database, key: string): string | null {
  return database.db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get()?.value ?? null;
}

/** Must run inside a write transaction. */
export function upsertRoster(database: Database, roster: Roster, now: number): RosterCounts {
  const { db } = database;
  db.insert(county)
    .values({ id: 1, name: roster.county.name, hotline: roster.county.hotline, updatedAt: now })
    .onConflictDoUpdate({ target: county.id, set: { name: roster.county.name, hotline: roster.county.hotline, updatedAt: now } })
    .run();

  let villageCount = 0;
  for (const t of roster.townships) {
    const row = {
      code: t.code,
      name: t.name,
      centreName: t.centre.name,
      centrePhone: t.centre.phone,
      centreAddress: t.centre.address,
      centreHours: t.centre.hours,
      updatedAt: now,
    };
    db.insert(townships).values(row).onConflictDoUpdate({ target: townships.code, set: row }).run();
    for (const v of t.villages) {
      const vrow = {
        code: v.code,
        townshipCode: t.code,
        name: v.name,
        population: v.population ?? null,
        distanceKm: v.distanceKm ?? null,
        remote: v.remote,
        updatedAt: now,
      };
      db.insert(villages).values(vrow).onConflictDoUpdate({ target: villages.code, set: vrow }).run();
      villageCount++;
    }
  }

  let identityCount = 0;
  for (const p of roster.people) {
    const row = {
      id: p.id,
      name: p.name,
      phone: p.phone ?? null,
      villageCode: p.village ?? null,
      tags: p.tags,
      publicProfile: p.public ?? null,
      updatedAt: now,
    };
    db.insert(people)
      .values({ ...row, source: 'roster', createdAt: now })
      .onConflictDoUpdate({ target: people.id, set: row })
      .run();
    // The roster is authoritative for the roles of the people it lists.
    db.delete(personRoles).where(eq(personRoles.personId, p.id)).run();
    const roles = p.roles.length ? p.roles : p.village ? [{ role: 'resident' as const, village: p.village, township: undefined }] : [];
    for (const r of roles) {
      db.insert(personRoles)
        .values({ personId: p.id, role: r.role, villageCode: r.village ?? null, townshipCode: r.township ?? null })
        .run();
    }
    for (const identity of p.identities) {
      db.insert(channelIdentities)
        .values({ channel: identity.channel, externalId: identity.id, personId: p.id, createdAt: now, lastSeenAt: now })
        .onConflictDoUpdate({ target: [channelIdentities.channel, channelIdentities.externalId], set: { personId: p.id } })
        .run();
      identityCount++;
    }
  }

  for (const r of roster.rooms) {
    const row = { kind: r.kind, villageCode: r.village ?? null, townshipCode: r.township ?? null, updatedAt: now };
    db.insert(rooms)
      .values({ channel: r.channel, externalId: r.id, ...row })
      .onConflictDoUpdate({ target: [rooms.channel, rooms.externalId], set: row })
      .run();
  }
  bumpSetting(database, ROSTER_VERSION_KEY);
  return { townships: roster.townships.length, villages: villageCount, people: roster.people.length, identities: identityCount, rooms: roster.rooms.length };
}
