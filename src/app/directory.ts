import { asc, inArray, isNotNull } from 'drizzle-orm';
import type { VillageView } from '../conversation/flow-context.ts';
import type { Database } from '../db/open-database.ts';
import { ROSTER_VERSION_KEY, readSetting } from '../db/roster-repository.ts';
import { channelIdentities, county, people, personRoles, rooms, townships, villages, type PublicProfile } from '../db/schema.ts';
import type { PersonRole, RoleGrant } from '../domain/roles.ts';

/**
 * The organisation in memory: county, townships and their centres, villages, staff with their roles
 * and channel identities, and rooms. Read on every message, so it is cached and reloaded only when
 * the roster version in the database changes (a roster load in any process bumps it).
 */

export interface Identity {
  channel: string;
  externalId: string;
}

export interface StaffMember {
  id: string;
  name: string;
  phone: string | null;
  villageCode: string | null;
  publicProfile: PublicProfile | null;
  identities: Identity[];
  /** Every role of the person with its scope (a staff member may also be a resident). */
  grants: RoleGrant[];
}

export interface TownshipEntry {
  code: string;
  name: string;
  centre: { name: string; phone: string; address: string; hours: string };
}

export interface VillageEntry {
  code: string;
  name: string;
  townshipCode: string;
  remote: boolean;
}

export interface RoomEntry {
  channel: string;
  externalId: string;
  kind: 'village_agents' | 'centre';
  villageCode: string | null;
  townshipCode: string | null;
}

export interface Directory {
  version: string;
  county: { name: string; hotline: string };
  villages: readonly VillageView[];
  village(code: string): VillageEntry | undefined;
  township(code: string): TownshipEntry | undefined;
  /** Staff of a role in a village (agent, collector), a township (centre_staff) or the county (supervisor). */
  staff(role: PersonRole, scope: { village?: string; township?: string }): StaffMember[];
  room(channel: string, externalId: string): RoomEntry | undefined;
  /** The staff member speaking from a channel identity, if the roster knows one. */
  staffByIdentity(channel: string, externalId: string): StaffMember | undefined;
  staffById(id: string): StaffMember | undefined;
  agentRooms(villageCode: string): RoomEntry[];
  centreRooms(townshipCode: string): RoomEntry[];
}

/** Shown until a roster is loaded: the national government service hotline works everywhere. */
const DEFAULT_COUNTY = { name: '本县', hotline: '12345' };

export function loadDirectory(database: Database): Directory {
  const { db } = database;
  const version = readSetting(database, ROSTER_VERSION_KEY) ?? '0';
  const countyRow = db.select().from(county).get();
  const townshipRows = db.select().from(townships).orderBy(asc(townships.code)).all();
  const villageRows = db.select().from(villages).orderBy(asc(villages.code)).all();
  const staffRoleRows = db
    .select()
    .from(personRoles)
    .where(inArray(personRoles.role, ['agent', 'collector', 'centre_staff', 'supervisor', 'admin']))
    .orderBy(asc(personRoles.id))
    .all();
  const staffIds = [...new Set(staffRoleRows.map((r) => r.personId))];
  const roleRows = staffIds.length ? db.select().from(personRoles).where(inArray(personRoles.personId, staffIds)).orderBy(asc(personRoles.id)).all() : [];
  const staffRows = staffIds.length ? db.select().from(people).where(inArray(people.id, staffIds)).all() : [];
  const identityRows = staffIds.length
    ? db.select().from(channelIdentities).where(inArray(channelIdentities.personId, staffIds)).orderBy(asc(channelIdentities.id)).all()
    : [];
  const roomRows = db.select().from(rooms).where(isNotNull(rooms.kind)).orderBy(asc(rooms.id)).all();

  const townshipMap = new Map<string, TownshipEntry>(
    townshipRows.map((t) => [
      t.code,
      { code: t.code, name: t.name, centre: { name: t.centreName, phone: t.centrePhone, address: t.centreAddress, hours: t.centreHours } },
    ]),
  );
  const villageMap = new Map<string, VillageEntry>(
    villageRows.map((v) => [v.code, { code: v.code, name: v.name, townshipCode: v.townshipCode, remote: v.remote }]),
  );
  const staffMap = new Map<string, StaffMember>(
    staffRows.map((p) => [
      p.id,
      {
        id: p.id,
        name: p.name,
        phone: p.phone,
        villageCode: p.villageCode,
        publicProfile: p.publicProfile ?? null,
        identities: identityRows.filter((i) => i.personId === p.id).map((i) => ({ channel: i.channel, externalId: i.externalId })),
        grants: roleRows.filter((r) => r.personId === p.id).map((r) => ({ role: r.role, villageCode: r.villageCode, townshipCode: r.townshipCode })),
      },
    ]),
  );
  const roomEntries: RoomEntry[] = roomRows.map((r) => ({
    channel: r.channel,
    externalId: r.externalId,
    kind: r.kind,
    villageCode: r.villageCode,
    townshipCode: r.townshipCode,
  }));
  const roomMap = new Map(roomEntries.map((r) => [`${r.channel}\u0000${r.externalId}`, r]));
  const staffByIdentity = new Map<string, StaffMember>();
  for (const member of staffMap.values()) for (const i of member.identities) staffByIdentity.set(`${i.channel}\u0000${i.externalId}`, member);

  return {
    version,
    county: countyRow ? { name: countyRow.name, hotline: countyRow.hotline } : DEFAULT_COUNTY,
    villages: villageRows.map((v) => ({ code: v.code, name: v.name, townshipName: townshipMap.get(v.townshipCode)?.name ?? '' })),
    village: (code) => villageMap.get(code),
    township: (code) => townshipMap.get(code),
    staff(role, scope) {
      const ids = roleRows
        .filter(
          (r) =>
            r.role === role &&
            (scope.village === undefined || r.villageCode === scope.village) &&
            (scope.township === undefined || r.townshipCode === scope.township),
        )
        .map((r) => r.personId);
      return [...new Set(ids)].flatMap((id) => staffMap.get(id) ?? []);
    },
    room: (channel, externalId) => roomMap.get(`${channel}\u0000${externalId}`),
    staffByIdentity: (channel, externalId) => staffByIdentity.get(`${channel}\u0000${externalId}`),
    staffById: (id) => staffMap.get(id),
    agentRooms: (villageCode) => roomEntries.filter((r) => r.kind === 'village_agents' && r.villageCode === villageCode),
    centreRooms: (townshipCode) => roomEntries.filter((r) => r.kind === 'centre' && r.townshipCode === townshipCode),
  };
}

export interface DirectoryCache {
  current(): Directory;
}

export function createDirectoryCache(database: Database): DirectoryCache {
  const versionStmt = database.sqlite.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  let cached: Directory | null = null;
  return {
    current() {
      const version = versionStmt.get(ROSTER_VERSION_KEY)?.value ?? '0';
      if (!cached || cached.version !== version) cached = loadDirectory(database);
      return cached;
    },
  };
}
