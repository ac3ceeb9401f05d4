import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Deadline } from '../domain/deadline-clock.ts';
import type { DeadlineKind, Direction, ErrandEvent, ErrandStatus } from '../domain/errand-lifecycle.ts';
import type { Database } from './open-database.ts';
import {
  catalogItems,
  entrustments,
  errandDeadlines,
  errandEvents,
  errands,
  oneTimeNotices,
  receiptSequences,
  type BeneficiaryJson,
  type NoticeItemJson,
} from './schema.ts';

/**
 * Errands, their append-only history, their clocks, entrustments and one-time notices.
 * Writes are meant to run inside the caller's transaction (Database.write).
 */

export type ErrandRow = typeof errands.$inferSelect;
export type StoredDeadline = Deadline & { id: number; errandId: number };

export class StaleErrandError extends Error {
  override name = 'StaleErrandError';
  constructor(readonly errandId: number) {
    super(`errand ${errandId} changed meanwhile`);
  }
}

/** Next number of the day's receipt sequence (county-wide). */
export function nextReceiptSequence(database: Database, day: string): number {
  const row = database.db
    .insert(receiptSequences)
    .values({ day, last: 1 })
    .onConflictDoUpdate({ target: receiptSequences.day, set: { last: sql`${receiptSequences.last} + 1` } })
    .returning({ last: receiptSequences.last })
    .get();
  return row.last;
}

export interface NewErrand {
  receiptNo: string;
  direction: Direction;
  status: ErrandStatus;
  itemId: string;
  itemVersion: number;
  villageCode: string;
  townshipCode: string;
  requesterId: string;
  beneficiary: BeneficiaryJson;
  collectorId: string | null;
  channel: string;
  now: number;
}

export function insertErrand(database: Database, e: NewErrand): ErrandRow {
  return database.db
    .insert(errands)
    .values({
      receiptNo: e.receiptNo,
      direction: e.direction,
      status: e.status,
      itemId: e.itemId,
      itemVersion: e.itemVersion,
      villageCode: e.villageCode,
      townshipCode: e.townshipCode,
      requesterId: e.requesterId,
      beneficiary: e.beneficiary,
      collectorId: e.collectorId,
      channel: e.channel,
      version: 1,
      createdAt: e.now,
      updatedAt: e.now,
    })
    .returning()
    .get();
}

/** Moves an errand if nobody moved it since `fromVersion` was read; returns the new version. */
export function updateErrandStatus(
  database: Database,
  errand: Pick<ErrandRow, 'id' | 'version'>,
  patch: { status: ErrandStatus; suspendedFrom: ErrandStatus | null; agentId?: string | null; closedAt?: number | null; now: number },
): number {
  const next = errand.version + 1;
  const result = database.db
    .update(errands)
    .set({
      status: patch.status,
      suspendedFrom: patch.suspendedFrom,
      ...(patch.agentId !== undefined ? { agentId: patch.agentId } : {}),
      ...(patch.closedAt !== undefined ? { closedAt: patch.closedAt } : {}),
      version: next,
      updatedAt: patch.now,
    })
    .where(and(eq(errands.id, errand.id), eq(errands.version, errand.version)))
    .run();
  if (result.changes !== 1) throw new StaleErrandError(errand.id);
  return next;
}

export interface NewEvent {
  errandId: number;
  version: number;
  type: ErrandEvent;
  fromStatus: ErrandStatus | null;
  toStatus: ErrandStatus;
  actorPersonId: string | null;
  actorRole: string;
  at: number;
  reason?: string | null;
  data?: Record<string, unknown> | null;
}

export function appendEvent(database: Database, e: NewEvent): void {
  database.db
    .insert(errandEvents)
    .values({ ...e, reason: e.reason ?? null, data: e.data ?? null })
    .run();
}

export function openDeadlines(database: Database, errandId: number): StoredDeadline[] {
  return database.db
    .select()
    .from(errandDeadlines)
    .where(and(eq(errandDeadlines.errandId, errandId), inArray(errandDeadlines.status, ['running', 'paused'])))
    .orderBy(asc(errandDeadlines.id))
    .all()
    .map((r) => ({ ...r, kind: r.kind as DeadlineKind }));
}

export function saveDeadlines(database: Database, errandId: number, plan: { changed: readonly StoredDeadline[]; started: readonly Deadline[] }): void {
  for (const d of plan.changed) {
    database.db
      .update(errandDeadlines)
      .set({
        status: d.status,
        dueDate: d.dueDate,
        dueAt: d.dueAt,
        remainingWorkingDays: d.remainingWorkingDays,
        provisional: d.provisional,
        closedAt: d.closedAt,
      })
      .where(eq(errandDeadlines.id, d.id))
      .run();
  }
  for (const d of plan.started) {
    database.db
      .insert(errandDeadlines)
      .values({
        errandId,
        kind: d.kind,
        status: d.status,
        startedAt: d.startedAt,
        workingDays: d.workingDays,
        dueDate: d.dueDate,
        dueAt: d.dueAt,
        remainingWorkingDays: d.remainingWorkingDays,
        provisional: d.provisional,
        closedAt: d.closedAt,
      })
      .run();
  }
}

export function insertEntrustment(
  database: Database,
  e: { errandId: number; confirmedBy: string; beneficiary: BeneficiaryJson; textVersion: string; text: string; privacyConsent: boolean | null; channel: string; at: number },
): void {
  database.db
    .insert(entrustments)
    .values({
      errandId: e.errandId,
      confirmedBy: e.confirmedBy,
      beneficiary: e.beneficiary,
      textVersion: e.textVersion,
      text: e.text,
      privacyConsent: e.privacyConsent,
      channel: e.channel,
      confirmedAt: e.at,
    })
    .run();
}

export function insertNotice(
  database: Database,
  n: { errandId: number; kind: 'intake' | 'return'; items: NoticeItemJson[]; catalogItemVersion: number; issuedBy: string | null; at: number },
): number {
  const last = database.db
    .select({ version: oneTimeNotices.version })
    .from(oneTimeNotices)
    .where(eq(oneTimeNotices.errandId, n.errandId))
    .orderBy(desc(oneTimeNotices.version))
    .get();
  const version = (last?.version ?? 0) + 1;
  database.db
    .insert(oneTimeNotices)
    .values({ errandId: n.errandId, version, kind: n.kind, items: n.items, catalogItemVersion: n.catalogItemVersion, issuedBy: n.issuedBy, issuedAt: n.at })
    .run();
  return version;
}

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
  return database.db.select().from(errandEvents).where(inArray(errandEvents.errandId, [...errandIds])).orderBy(asc(errandEvents.id)).all();
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
  const conditions = [
    ...(filter.status ? [eq(errands.status, filter.status)] : []),
    ...(filter.village ? [eq(errands.villageCode, filter.village)] : []),
  ];
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
