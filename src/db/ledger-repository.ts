import type { Database } from './open-database.ts';
import type { LedgerMaterialJson } from './schema.ts';
import { statement } from './statement-cache.ts';

/** The ledger (登记造册) of accepted errands, with the materials taken in, and paper entrustments signed for them. */

export interface LedgerEntry {
  entryNo: string;
  seq: number;
}

/** Enters an accepted errand in its village's ledger for the year; returns its entry number. */
export function enterInLedger(
  database: Database,
  e: {
    errandId: number;
    villageCode: string;
    year: number;
    agentId: string;
    paperEntrustmentSigned: boolean | null;
    /** What the resident handed in at 收件. */
    materials: readonly LedgerMaterialJson[];
    at: number;
  },
): LedgerEntry {
  const existing = statement<[number], LedgerEntry>(database, 'SELECT entry_no AS entryNo, seq FROM ledger_entries WHERE errand_id = ?').get(e.errandId);
  if (existing) return existing;
  const { seq } = statement<[string, number], { seq: number }>(
    database,
    'SELECT coalesce(max(seq), 0) + 1 AS seq FROM ledger_entries WHERE village_code = ? AND year = ?',
  ).get(e.villageCode, e.year)!;
  const entryNo = `${e.villageCode}-${e.year}-${String(seq).padStart(4, '0')}`;
  statement(
    database,
    `INSERT INTO ledger_entries (errand_id, village_code, year, seq, entry_no, agent_id, paper_entrustment_signed, materials, entered_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    e.errandId,
    e.villageCode,
    e.year,
    seq,
    entryNo,
    e.agentId,
    e.paperEntrustmentSigned === null ? null : e.paperEntrustmentSigned ? 1 : 0,
    JSON.stringify(e.materials),
    e.at,
  );
  return { entryNo, seq };
}

/** Records that the paper entrustment of an errand was signed (the chat record stays as it was). */
export function markPaperEntrustment(database: Database, errandId: number): void {
  statement(database, 'UPDATE entrustments SET paper_form_signed = 1 WHERE errand_id = ?').run(errandId);
}

export function ledgerEntryOf(database: Database, errandId: number): LedgerEntry | undefined {
  return statement<[number], LedgerEntry>(database, 'SELECT entry_no AS entryNo, seq FROM ledger_entries WHERE errand_id = ?').get(errandId);
}
