import type { Deadline } from '../domain/deadline-clock.ts';
import type { Direction, ErrandEvent, ErrandStatus } from '../domain/errand-lifecycle.ts';
import type { Database } from './open-database.ts';
import type { BeneficiaryJson, errands, NoticeItemJson } from './schema.ts';
import { statement } from './statement-cache.ts';

/**
 * Writing errands: the errand, its append-only history, its clocks, entrustments and one-time
 * notices. They run inside the caller's transaction (Database.write), several per filed errand, so
 * they are prepared SQL (statement-cache.ts); the reads are in errand-queries.ts.
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
  return statement<[string], { last: number }>(
    database,
    'INSERT INTO receipt_sequences (day, last) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last',
  ).get(day)!.last;
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
  agentId?: string | null;
  channel: string;
  entrustmentStatus?: ErrandRow['entrustmentStatus'];
  note?: string | null;
  now: number;
}

export function insertErrand(database: Database, e: NewErrand): ErrandRow {
  const { id } = statement<unknown[], { id: number }>(
    database,
    `INSERT INTO errands (receipt_no, direction, status, suspended_from, item_id, item_version, village_code, township_code, requester_id,
       beneficiary, collector_id, agent_id, channel, note, entrustment_status, version, created_at, updated_at, closed_at)
     VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, NULL) RETURNING id`,
  ).get(
    e.receiptNo,
    e.direction,
    e.status,
    e.itemId,
    e.itemVersion,
    e.villageCode,
    e.townshipCode,
    e.requesterId,
    JSON.stringify(e.beneficiary),
    e.collectorId,
    e.agentId ?? null,
    e.channel,
    e.note ?? null,
    e.entrustmentStatus ?? 'confirmed',
    e.now,
    e.now,
  )!;
  return {
    id,
    receiptNo: e.receiptNo,
    direction: e.direction,
    status: e.status,
    suspendedFrom: null,
    itemId: e.itemId,
    itemVersion: e.itemVersion,
    villageCode: e.villageCode,
    townshipCode: e.townshipCode,
    requesterId: e.requesterId,
    beneficiary: e.beneficiary,
    collectorId: e.collectorId,
    agentId: e.agentId ?? null,
    channel: e.channel,
    note: e.note ?? null,
    entrustmentStatus: e.entrustmentStatus ?? 'confirmed',
    outcome: null,
    resultNote: null,
    resultDelivery: null,
    version: 1,
    createdAt: e.now,
    updatedAt: e.now,
    closedAt: null,
  };
}

export interface ErrandPatch {
  status: ErrandStatus;
  suspendedFrom: ErrandStatus | null;
  agentId?: string | null;
  closedAt?: number | null;
  outcome?: 'approved' | 'rejected' | null;
  resultNote?: string | null;
  entrustmentStatus?: ErrandRow['entrustmentStatus'];
  now: number;
}

/** Moves an errand if nobody moved it since `errand.version` was read; returns the new version. */
export function updateErrandStatus(database: Database, errand: ErrandRow, patch: ErrandPatch): number {
  const next = errand.version + 1;
  const pick = <K extends keyof ErrandPatch & keyof ErrandRow>(key: K) => (patch[key] !== undefined ? patch[key] : errand[key]);
  const result = statement(
    database,
    `UPDATE errands SET status = ?, suspended_from = ?, agent_id = ?, closed_at = ?, outcome = ?, result_note = ?, entrustment_status = ?, version = ?, updated_at = ?
     WHERE id = ? AND version = ?`,
  ).run(
    patch.status,
    patch.suspendedFrom,
    pick('agentId'),
    pick('closedAt'),
    pick('outcome'),
    pick('resultNote'),
    pick('entrustmentStatus'),
    next,
    patch.now,
    errand.id,
    errand.version,
  );
  if (result.changes !== 1) throw new StaleErrandError(errand.id);
  return next;
}

/** History entries: every lifecycle move, plus events that change no state (the resident confirming an entrustment). */
/** Lifecycle moves, and same-state records: the resident's entrustment, and materials given back after a withdrawal. */
export type HistoryEventType = ErrandEvent | 'entrust' | 'give_back';

export interface NewEvent {
  errandId: number;
  version: number;
  type: HistoryEventType;
  fromStatus: ErrandStatus | null;
  toStatus: ErrandStatus;
  actorPersonId: string | null;
  actorRole: string;
  at: number;
  reason?: string | null;
  data?: Record<string, unknown> | null;
}

export function appendEvent(database: Database, e: NewEvent): void {
  statement(
    database,
    `INSERT INTO errand_events (errand_id, version, type, from_status, to_status, actor_person_id, actor_role, at, reason, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(e.errandId, e.version, e.type, e.fromStatus, e.toStatus, e.actorPersonId, e.actorRole, e.at, e.reason ?? null, e.data ? JSON.stringify(e.data) : null);
}

const DEADLINE_COLUMNS = `id, errand_id AS errandId, kind, status, started_at AS startedAt, working_days AS workingDays, due_date AS dueDate, due_at AS dueAt,
  remaining_working_days AS remainingWorkingDays, provisional, closed_at AS closedAt`;

type DeadlineSqlRow = Omit<StoredDeadline, 'provisional'> & { provisional: number };
const fromDeadlineRow = (r: DeadlineSqlRow): StoredDeadline => ({ ...r, provisional: r.provisional === 1 });

export function openDeadlines(database: Database, errandId: number): StoredDeadline[] {
  return statement<[number], DeadlineSqlRow>(
    database,
    `SELECT ${DEADLINE_COLUMNS} FROM errand_deadlines WHERE errand_id = ? AND status IN ('running', 'paused') ORDER BY id`,
  )
    .all(errandId)
    .map(fromDeadlineRow);
}

export function saveDeadlines(database: Database, errandId: number, plan: { changed: readonly StoredDeadline[]; started: readonly Deadline[] }): void {
  const update = statement(
    database,
    'UPDATE errand_deadlines SET status = ?, due_date = ?, due_at = ?, remaining_working_days = ?, provisional = ?, closed_at = ? WHERE id = ?',
  );
  for (const d of plan.changed) update.run(d.status, d.dueDate, d.dueAt, d.remainingWorkingDays, d.provisional ? 1 : 0, d.closedAt, d.id);
  const insert = statement(
    database,
    `INSERT INTO errand_deadlines (errand_id, kind, status, started_at, working_days, due_date, due_at, remaining_working_days, provisional, closed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const d of plan.started)
    insert.run(errandId, d.kind, d.status, d.startedAt, d.workingDays, d.dueDate, d.dueAt, d.remainingWorkingDays, d.provisional ? 1 : 0, d.closedAt);
}

export function insertEntrustment(
  database: Database,
  e: {
    errandId: number;
    confirmedBy: string;
    beneficiary: BeneficiaryJson;
    textVersion: string;
    text: string;
    privacyConsent: boolean | null;
    channel: string;
    paper?: boolean;
    at: number;
  },
): void {
  statement(
    database,
    `INSERT INTO entrustments (errand_id, confirmed_by, beneficiary, text_version, text, privacy_consent, channel, confirmed_at, paper_form_signed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    e.errandId,
    e.confirmedBy,
    JSON.stringify(e.beneficiary),
    e.textVersion,
    e.text,
    e.privacyConsent === null ? null : e.privacyConsent ? 1 : 0,
    e.channel,
    e.at,
    e.paper ? 1 : 0,
  );
}

/** Adds the next version of an errand's one-time notice; returns its version. */
export function insertNotice(
  database: Database,
  n: { errandId: number; kind: 'intake' | 'return'; items: NoticeItemJson[]; catalogItemVersion: number; issuedBy: string | null; at: number },
): number {
  return statement<unknown[], { version: number }>(
    database,
    `INSERT INTO one_time_notices (errand_id, version, kind, items, catalog_item_version, issued_by, issued_at)
     VALUES (?, (SELECT coalesce(max(version), 0) + 1 FROM one_time_notices WHERE errand_id = ?), ?, ?, ?, ?, ?) RETURNING version`,
  ).get(n.errandId, n.errandId, n.kind, JSON.stringify(n.items), n.catalogItemVersion, n.issuedBy, n.at)!.version;
}

const ERRAND_COLUMNS = `id, receipt_no AS receiptNo, direction, status, suspended_from AS suspendedFrom, item_id AS itemId, item_version AS itemVersion,
  village_code AS villageCode, township_code AS townshipCode, requester_id AS requesterId, beneficiary, collector_id AS collectorId,
  agent_id AS agentId, channel, note, entrustment_status AS entrustmentStatus, outcome, result_note AS resultNote, result_delivery AS resultDelivery, version,
  created_at AS createdAt, updated_at AS updatedAt, closed_at AS closedAt`;

type ErrandSqlRow = Omit<ErrandRow, 'beneficiary'> & { beneficiary: string };
const fromErrandRow = (r: ErrandSqlRow): ErrandRow => ({ ...r, beneficiary: JSON.parse(r.beneficiary) as ErrandRow['beneficiary'] });

/** One errand by its receipt number, as stored now. (Hot path of agents' commands: plain SQL.) */
export function findErrandByReceipt(database: Database, receiptNo: string): ErrandRow | undefined {
  const row = statement<[string], ErrandSqlRow>(database, `SELECT ${ERRAND_COLUMNS} FROM errands WHERE receipt_no = ?`).get(receiptNo);
  return row ? fromErrandRow(row) : undefined;
}

export function findErrandById(database: Database, id: number): ErrandRow | undefined {
  const row = statement<[number], ErrandSqlRow>(database, `SELECT ${ERRAND_COLUMNS} FROM errands WHERE id = ?`).get(id);
  return row ? fromErrandRow(row) : undefined;
}

/** Records how the resident wants the result: brought home by the agent, or fetched themselves. Not a move: no version bump. */
export function setResultDelivery(database: Database, errandId: number, choice: 'home' | 'self', now: number): void {
  statement(database, 'UPDATE errands SET result_delivery = ?, updated_at = ? WHERE id = ?').run(choice, now, errandId);
}
