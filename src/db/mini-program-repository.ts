import { and, eq, gt, lte } from 'drizzle-orm';
import type { Database } from './open-database.ts';
import { channelIdentities, miniProgramRequests, miniProgramSessions } from './schema.ts';

/** The mini-program's sessions (by token hash) and its idempotent requests. */

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
