import type { Database } from './open-database.ts';
import type { LedgerMaterialJson, NoticeItemJson } from './schema.ts';
import { statement } from './statement-cache.ts';

/**
 * Materials taken in for an errand and given back after a withdrawal (material_returns): the list
 * as the ledger holds it, the return task, the return itself, and the returns still owed (待办).
 */

export interface MaterialReturnRow {
  id: number;
  errandId: number;
  heldAt: 'agent' | 'centre';
  agentId: string | null;
  items: LedgerMaterialJson[];
  createdAt: number;
  returnedBy: string | null;
  returnedRole: string | null;
  returnedAt: number | null;
  note: string | null;
}

const asMaterial = (i: NoticeItemJson | LedgerMaterialJson): LedgerMaterialJson => ({
  name: i.name,
  form: i.form,
  count: i.count,
  ...(i.when ? { when: i.when } : {}),
});

/**
 * What the resident handed in by 收件, from the errand's one-time notices: the latest intake list and
 * every material a 补正 asked for since (once each, by name).
 */
export function materialsFromNotices(database: Database, errandId: number): LedgerMaterialJson[] {
  const notices = statement<[number], { kind: string; items: string }>(
    database,
    'SELECT kind, items FROM one_time_notices WHERE errand_id = ? ORDER BY version',
  ).all(errandId);
  const lastIntake = notices.filter((n) => n.kind === 'intake').at(-1);
  const lists = [lastIntake, ...notices.filter((n) => n.kind === 'return')].flatMap((n) => (n ? [JSON.parse(n.items) as NoticeItemJson[]] : []));
  const byName = new Map<string, LedgerMaterialJson>();
  for (const item of lists.flat()) if (!byName.has(item.name)) byName.set(item.name, asMaterial(item));
  return [...byName.values()];
}

/** The materials the ledger says were taken in for an errand; null when it was never entered in the ledger (no 收件). */
export function ledgerMaterialsOf(database: Database, errandId: number): LedgerMaterialJson[] | null {
  const row = statement<[number], { materials: string | null }>(database, 'SELECT materials FROM ledger_entries WHERE errand_id = ?').get(errandId);
  if (!row) return null;
  // Entries made before the ledger kept the list: read it from the notices.
  return row.materials ? (JSON.parse(row.materials) as LedgerMaterialJson[]) : materialsFromNotices(database, errandId);
}

/** The ledger materials of several errands at once (those never entered in the ledger are absent). */
export function ledgerMaterialsOfMany(database: Database, errandIds: readonly number[]): Map<number, LedgerMaterialJson[]> {
  const found = new Map<number, LedgerMaterialJson[]>();
  for (const id of errandIds) {
    const materials = ledgerMaterialsOf(database, id);
    if (materials) found.set(id, materials);
  }
  return found;
}

export function insertMaterialReturn(
  database: Database,
  r: { errandId: number; heldAt: 'agent' | 'centre'; agentId: string | null; items: LedgerMaterialJson[]; at: number },
): void {
  statement(
    database,
    `INSERT INTO material_returns (errand_id, held_at, agent_id, items, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (errand_id) DO NOTHING`,
  ).run(r.errandId, r.heldAt, r.agentId, JSON.stringify(r.items), r.at);
}

type ReturnSqlRow = Omit<MaterialReturnRow, 'items'> & { items: string };
const RETURN_COLUMNS = `id, errand_id AS errandId, held_at AS heldAt, agent_id AS agentId, items, created_at AS createdAt,
  returned_by AS returnedBy, returned_role AS returnedRole, returned_at AS returnedAt, note`;

export function materialReturnOf(database: Database, errandId: number): MaterialReturnRow | undefined {
  const row = statement<[number], ReturnSqlRow>(database, `SELECT ${RETURN_COLUMNS} FROM material_returns WHERE errand_id = ?`).get(errandId);
  return row ? { ...row, items: JSON.parse(row.items) as LedgerMaterialJson[] } : undefined;
}

/** Records the return; false when it was recorded already (of two at once, one wins). */
export function recordMaterialsReturned(database: Database, r: { errandId: number; by: string; role: string; note: string | null; at: number }): boolean {
  return (
    statement(
      database,
      'UPDATE material_returns SET returned_by = ?, returned_role = ?, returned_at = ?, note = ? WHERE errand_id = ? AND returned_at IS NULL',
    ).run(r.by, r.role, r.at, r.note, r.errandId).changes === 1
  );
}

export interface OwedReturn {
  receiptNo: string;
  itemName: string;
  residentName: string;
  villageCode: string;
  heldAt: 'agent' | 'centre';
  items: LedgerMaterialJson[];
  dueDate: string | null;
  dueAt: number | null;
}

/**
 * Returns still owed in a speaker's scope, oldest first: those the agent must make, those of their
 * villages nobody holds, and for centre staff those still at their centre; `within` narrows to a group's villages.
 */
export function owedReturnsFor(
  database: Database,
  scope: { agentId: string | null; villages: readonly string[]; townships: readonly string[]; everywhere: boolean; within?: readonly string[] },
): OwedReturn[] {
  const rows = statement<[], ReturnSqlRow & { receiptNo: string; itemName: string; residentName: string; villageCode: string; townshipCode: string }>(
    database,
    `SELECT r.errand_id AS errandId, r.held_at AS heldAt, r.agent_id AS agentId, r.items, e.receipt_no AS receiptNo, c.name AS itemName,
       p.name AS residentName, e.village_code AS villageCode, e.township_code AS townshipCode
     FROM material_returns r JOIN errands e ON e.id = r.errand_id JOIN catalog_items c ON c.id = e.item_id JOIN people p ON p.id = e.requester_id
     WHERE r.returned_at IS NULL ORDER BY r.created_at, r.id`,
  ).all();
  const clock = statement<[number], { dueDate: string | null; dueAt: number | null }>(
    database,
    "SELECT due_date AS dueDate, due_at AS dueAt FROM errand_deadlines WHERE errand_id = ? AND kind = 'materials_return' AND status = 'running'",
  );
  return rows
    .filter(
      (r) =>
        (!scope.within || scope.within.includes(r.villageCode)) &&
        (scope.everywhere ||
          (scope.agentId !== null && r.agentId === scope.agentId) ||
          (r.agentId === null && scope.villages.includes(r.villageCode)) ||
          (r.heldAt === 'centre' && scope.townships.includes(r.townshipCode))),
    )
    .map((r) => {
      const due = clock.get(r.errandId);
      return {
        receiptNo: r.receiptNo,
        itemName: r.itemName,
        residentName: r.residentName,
        villageCode: r.villageCode,
        heldAt: r.heldAt,
        items: JSON.parse(r.items) as LedgerMaterialJson[],
        dueDate: due?.dueDate ?? null,
        dueAt: due?.dueAt ?? null,
      };
    });
}
