import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from './open-database.ts';
import { channelIdentities, rooms, wechatyBindCodes, wechatyLinks } from './schema.ts';

/** Bind codes and the stable keys of wechaty contacts and rooms (see schema/wechaty.ts). */

export type BindCodeRow = typeof wechatyBindCodes.$inferSelect;
export type WechatyLinkRow = typeof wechatyLinks.$inferSelect;
export type LinkKind = WechatyLinkRow['kind'];

export function insertBindCode(database: Database, row: typeof wechatyBindCodes.$inferInsert): void {
  database.db.insert(wechatyBindCodes).values(row).run();
}

export function bindCodeByCode(database: Database, code: string): BindCodeRow | undefined {
  return database.db.select().from(wechatyBindCodes).where(eq(wechatyBindCodes.code, code)).get();
}

/** Marks a code used; false when it was used already (by a concurrent redeem). */
export function markBindCodeUsed(database: Database, code: string, usedBy: string, now: number): boolean {
  return (
    database.db
      .update(wechatyBindCodes)
      .set({ usedAt: now, usedBy })
      .where(and(eq(wechatyBindCodes.code, code), isNull(wechatyBindCodes.usedAt)))
      .run().changes === 1
  );
}

/** A channel identity (created if new) now belongs to a person. */
export function bindIdentity(database: Database, b: { channel: string; externalId: string; personId: string; now: number }): void {
  database.db
    .insert(channelIdentities)
    .values({ channel: b.channel, externalId: b.externalId, personId: b.personId, createdAt: b.now, lastSeenAt: b.now })
    .onConflictDoUpdate({ target: [channelIdentities.channel, channelIdentities.externalId], set: { personId: b.personId, lastSeenAt: b.now } })
    .run();
}

/** A room (created if new) is a village's agents room or a township centre's room. */
export function bindRoom(
  database: Database,
  b: { channel: string; externalId: string; kind: 'village_agents' | 'centre'; villageCode: string | null; townshipCode: string | null; now: number },
): void {
  const set = { kind: b.kind, villageCode: b.villageCode, townshipCode: b.townshipCode, updatedAt: b.now };
  database.db
    .insert(rooms)
    .values({ channel: b.channel, externalId: b.externalId, ...set })
    .onConflictDoUpdate({ target: [rooms.channel, rooms.externalId], set })
    .run();
}

export function linkByWechatyId(database: Database, kind: LinkKind, wechatyId: string): WechatyLinkRow | undefined {
  return database.db
    .select()
    .from(wechatyLinks)
    .where(and(eq(wechatyLinks.kind, kind), eq(wechatyLinks.wechatyId, wechatyId)))
    .get();
}

export function linkByKey(database: Database, key: string): WechatyLinkRow | undefined {
  return database.db.select().from(wechatyLinks).where(eq(wechatyLinks.key, key)).get();
}

export function links(database: Database, kind: LinkKind): WechatyLinkRow[] {
  return database.db.select().from(wechatyLinks).where(eq(wechatyLinks.kind, kind)).orderBy(asc(wechatyLinks.createdAt)).all();
}

export function insertLink(database: Database, row: WechatyLinkRow): void {
  database.db.insert(wechatyLinks).values(row).run();
}

/** Points a link at the id of the current session (any other link holding that id loses it), with a fresh name. */
export function updateLink(database: Database, key: string, set: { wechatyId: string | null; name?: string; alias?: string | null; now: number }): void {
  const link = linkByKey(database, key);
  if (!link) return;
  if (set.wechatyId !== null) {
    database.db
      .update(wechatyLinks)
      .set({ wechatyId: null })
      .where(and(eq(wechatyLinks.kind, link.kind), eq(wechatyLinks.wechatyId, set.wechatyId)))
      .run();
  }
  database.db
    .update(wechatyLinks)
    .set({
      wechatyId: set.wechatyId,
      resolvedAt: set.now,
      ...(set.name !== undefined ? { name: set.name } : {}),
      ...(set.alias !== undefined ? { alias: set.alias } : {}),
    })
    .where(eq(wechatyLinks.key, key))
    .run();
}

/** Notifications sent through a channel since an instant (the daily cap counts them after a restart). */
export function notificationsSentSince(database: Database, channel: string, since: number): number {
  const row = database.sqlite
    .prepare<[string, number], { n: number }>(
      "SELECT count(*) AS n FROM outbox WHERE channel = ? AND kind = 'notification' AND status = 'sent' AND sent_at >= ?",
    )
    .get(channel, since);
  return row?.n ?? 0;
}
