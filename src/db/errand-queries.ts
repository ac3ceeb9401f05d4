import { and, asc, desc, eq, inArray, notInArray } from 'drizzle-orm';
import type { DeadlineKind } from '../domain/errand-lifecycle.ts';
import type { ErrandRow, StoredDeadline } from './errand-repository.ts';
import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';
import { catalogItems, entrustments, errandDeadlines, errandEvents, errands, oneTimeNotices } from './schema.ts';

/** Reading errands: a resident's list, one errand's history and clocks, the admin's lists. */

export interface ErrandSummaryRow {
  errand: ErrandRow;
  itemName: string;
}

/** A resident's errands, newest first. */
export function errandsOfRequester(database: Database, personId: string, limit: number): ErrandSummaryRow[] {
  return database.db
    .select({ errand: errands, itemName: catalogItems.name })
    .from(errands)
    .innerJoin(catalogItems, eq(catalogItems.id, errands.itemId))
    .where(eq(errands.requesterId, personId))
    .orderBy(desc(errands.createdAt), desc(errands.id))
    .limit(limit)
    .all();
}

/** A resident's errands not yet done with (neither closed, withdrawn, refused nor fed back), newest first. */
export function openErrandsOfRequester(database: Database, personId: string): ErrandSummaryRow[] {
  return database.db
    .select({ errand: errands, itemName: catalogItems.name })
    .from(errands)
    .innerJoin(catalogItems, eq(catalogItems.id, errands.itemId))
    .where(and(eq(errands.requesterId, personId), notInArray(errands.status, ['closed', 'withdrawn', 'refused', 'fed_back'])))
    .orderBy(desc(errands.createdAt), desc(errands.id))
    .all();
}

export function errandByReceipt(database: Database, receiptNo: string): ErrandSummaryRow | undefined {
  return database.db
    .select({ errand: errands, itemName: catalogItems.name })
    .from(errands)
    .innerJoin(catalogItems, eq(catalogItems.id, errands.itemId))
    .where(eq(errands.receiptNo, receiptNo))
    .get();
}

export function errandById(database: Database, id: number): ErrandRow | undefined {
  return database.db.select().from(errands).where(eq(errands.id, id)).get();
}

export function eventsOf(database: Database, errandIds: readonly number[]): (typeof errandEvents.$inferSelect)[] {
  if (errandIds.length === 0) return [];
  return database.db
    .select()
    .from(errandEvents)
    .where(inArray(errandEvents.errandId, [...errandIds]))
    .orderBy(asc(errandEvents.id))
    .all();
}

export function deadlinesOf(database: Database, errandIds: readonly number[]): StoredDeadline[] {
  if (errandIds.length === 0) return [];
  return database.db
    .select()
    .from(errandDeadlines)
    .where(inArray(errandDeadlines.errandId, [...errandIds]))
    .orderBy(asc(errandDeadlines.id))
    .all()
    .map((r) => ({ ...r, kind: r.kind as DeadlineKind }));
}

export function noticesOf(database: Database, errandId: number): (typeof oneTimeNotices.$inferSelect)[] {
  return database.db.select().from(oneTimeNotices).where(eq(oneTimeNotices.errandId, errandId)).orderBy(asc(oneTimeNotices.version)).all();
}

export function entrustmentsOf(database: Database, errandId: number): (typeof entrustments.$inferSelect)[] {
  return database.db.select().from(entrustments).where(eq(entrustments.errandId, errandId)).orderBy(asc(entrustments.id)).all();
}

export function listErrands(database: Database, filter: { status?: string; village?: string; limit: number; offset: number }): ErrandSummaryRow[] {
  const conditions = [...(filter.status ? [eq(errands.status, filter.status)] : []), ...(filter.village ? [eq(errands.villageCode, filter.village)] : [])];
  return database.db
    .select({ errand: errands, itemName: catalogItems.name })
    .from(errands)
    .innerJoin(catalogItems, eq(catalogItems.id, errands.itemId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(errands.id))
    .limit(filter.limit)
    .offset(filter.offset)
    .all();
}

/** The full names on these errands: each requester's and each family beneficiary's (for masking group texts). */
export function namesOnErrands(database: Database, errandIds: readonly number[]): string[] {
  if (errandIds.length === 0) return [];
  const rows = statement<number[], { name: string; beneficiary: string | null }>(
    database,
    `SELECT p.name AS name, e.beneficiary AS beneficiary FROM errands e JOIN people p ON p.id = e.requester_id WHERE e.id IN (${errandIds.map(() => '?').join(', ')})`,
  ).all(...errandIds);
  return rows.flatMap((r) => {
    const beneficiary = r.beneficiary ? (JSON.parse(r.beneficiary) as { name?: string | null }) : null;
    return beneficiary?.name ? [r.name, beneficiary.name] : [r.name];
  });
}
