import { and, eq, gt, lte } from 'drizzle-orm';
import type { Database } from './open-database.ts';
import { channelIdentities, miniProgramPhones, miniProgramRequests, miniProgramSessions } from './schema.ts';
import { TRUSTED_PHONE } from './people-repository.ts';
import { statement } from './statement-cache.ts';

/** The mini-program's sessions (by token hash), its idempotent requests and verified phone numbers. */

export type MiniProgramSessionRow = typeof miniProgramSessions.$inferSelect;

export function insertMiniProgramSession(database: Database, row: MiniProgramSessionRow): void {
  database.db.insert(miniProgramSessions).values(row).run();
}

/** The session of a token hash, if it has not expired. */
export function liveMiniProgramSession(database: Database, tokenHash: string, now: number): MiniProgramSessionRow | undefined {
  return database.db
    .select()
    .from(miniProgramSessions)
    .where(and(eq(miniProgramSessions.tokenHash, tokenHash), gt(miniProgramSessions.expiresAt, now)))
    .get();
}

export function deleteMiniProgramSession(database: Database, tokenHash: string): void {
  database.db.delete(miniProgramSessions).where(eq(miniProgramSessions.tokenHash, tokenHash)).run();
}

/** Removes expired sessions (done at each login: cheap, indexed). */
export function purgeExpiredMiniProgramSessions(database: Database, now: number): number {
  return database.db.delete(miniProgramSessions).where(lte(miniProgramSessions.expiresAt, now)).run().changes;
}

export function findMiniProgramRequest(database: Database, identityId: number, key: string): { requestHash: string; response: unknown } | undefined {
  return database.db
    .select({ requestHash: miniProgramRequests.requestHash, response: miniProgramRequests.response })
    .from(miniProgramRequests)
    .where(and(eq(miniProgramRequests.identityId, identityId), eq(miniProgramRequests.idempotencyKey, key)))
    .get();
}

export function insertMiniProgramRequest(database: Database, row: typeof miniProgramRequests.$inferInsert): void {
  database.db.insert(miniProgramRequests).values(row).run();
}

export function identityById(database: Database, id: number): typeof channelIdentities.$inferSelect | undefined {
  return database.db.select().from(channelIdentities).where(eq(channelIdentities.id, id)).get();
}

/**
 * The people whose phone is this mainland number (roster phones are free text: spaces, hyphens and a
 * +86 or 86 prefix are ignored).
 */
export function peopleWithPhone(database: Database, phone: string): string[] {
  // Only phones the county can vouch for: a number someone typed about themselves is a claim, not an owner.
  return statement<[string, string], { id: string }>(
    database,
    `SELECT id FROM people WHERE phone IS NOT NULL AND ${TRUSTED_PHONE} AND replace(replace(replace(phone, ' ', ''), '-', ''), '+', '') IN (?, '86' || ?) ORDER BY id`,
  )
    .all(phone, phone)
    .map((r) => r.id);
}

/** Remembers the verified phone of a not yet registered identity (the latest one wins). */
export function rememberVerifiedPhone(database: Database, identityId: number, phone: string, now: number): void {
  database.db
    .insert(miniProgramPhones)
    .values({ identityId, phone, verifiedAt: now })
    .onConflictDoUpdate({ target: miniProgramPhones.identityId, set: { phone, verifiedAt: now } })
    .run();
}

export function verifiedPhoneOf(database: Database, identityId: number): string | null {
  return (
    database.db.select({ phone: miniProgramPhones.phone }).from(miniProgramPhones).where(eq(miniProgramPhones.identityId, identityId)).get()?.phone ?? null
  );
}

export function forgetVerifiedPhone(database: Database, identityId: number): void {
  database.db.delete(miniProgramPhones).where(eq(miniProgramPhones.identityId, identityId)).run();
}
