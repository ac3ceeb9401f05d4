import { endOfShanghaiDay, shanghaiDate, startOfShanghaiDay, type LocalDate } from '../calendar/local-date.ts';
import { SATISFIED_FROM_LEVEL } from '../domain/rating-scale.ts';
import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';

/**
 * The lists agents and centre staff ask for in chat (待办, 逾期) and the monthly figures (统计).
 * Plain SQL over the indexes: they must answer within milliseconds with 100,000 errands stored.
 */

export interface ListScope {
  /** The speaker as an agent: errands they hold. */
  agentId: string | null;
  /** Villages where the speaker is an agent: errands nobody holds yet. */
  villages: readonly string[];
  /** Townships whose centre the speaker staffs: errands at the centre. */
  townships: readonly string[];
  /** Supervisors see the whole county. */
  everywhere: boolean;
  /** Only these villages, whatever the rest says (a command given in a group: the group's villages). */
  within?: readonly string[];
}

export interface ListedErrand {
  receiptNo: string;
  itemName: string;
  residentName: string;
  villageCode: string;
  status: string;
  deadlineKind: string | null;
  dueDate: LocalDate | null;
  dueAt: number | null;
}

// These lists are written exactly as in the partial indexes' conditions, so that SQLite uses them.
const AT_CENTRE = "('submitted', 'in_progress', 'handed_back')";
const CLOSED = "('closed', 'withdrawn', 'refused', 'fed_back')";
/** Errands waiting for an agent to take them (the only open ones without an agent). */
const UNCLAIMED = "('requested', 'dispatched')";

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ') || 'NULL';

function scopeSql(scope: ListScope, alias: string, forOverdue: boolean): { sql: string; params: unknown[] } {
  const base = speakerScopeSql(scope, alias, forOverdue);
  if (!scope.within) return base;
  // A filter only (the unary + keeps SQLite from planning by the village index, which is far slower here).
  return { sql: `(${base.sql} AND +${alias}.village_code IN (${marks(scope.within.length)}))`, params: [...base.params, ...scope.within] };
}

function speakerScopeSql(scope: ListScope, alias: string, forOverdue: boolean): { sql: string; params: unknown[] } {
  if (scope.everywhere) return { sql: forOverdue ? '1 = 1' : `${alias}.status NOT IN ${CLOSED}`, params: [] };
  const parts: string[] = [];
  const params: unknown[] = [];
  if (scope.agentId) {
    parts.push(forOverdue ? `${alias}.agent_id = ?` : `(${alias}.agent_id = ? AND ${alias}.status NOT IN ${CLOSED})`);
    params.push(scope.agentId);
  }
  if (scope.villages.length) {
    // Open lists show the village's errands nobody holds yet; overdue lists every overdue one of the village.
    parts.push(
      forOverdue
        ? `${alias}.village_code IN (${marks(scope.villages.length)})`
        : `(${alias}.village_code IN (${marks(scope.villages.length)}) AND ${alias}.status IN ${UNCLAIMED} AND ${alias}.agent_id IS NULL)`,
    );
    params.push(...scope.villages);
  }
  if (scope.townships.length) {
    parts.push(`(${alias}.township_code IN (${marks(scope.townships.length)})${forOverdue ? '' : ` AND ${alias}.status IN ${AT_CENTRE}`})`);
    params.push(...scope.townships);
  }
  return { sql: parts.length ? `(${parts.join(' OR ')})` : '0 = 1', params };
}

/** Open errands in the speaker's scope, soonest deadline first. */
export function openErrandsFor(database: Database, scope: ListScope, _now: number, limit: number): { total: number; errands: ListedErrand[] } {
  const where = scopeSql(scope, 'e', false);
  const filter = `WHERE ${where.sql}`;
  // First the order (errands and their soonest running clock, from indexes alone), then details of the few shown.
  const ordered = statement<unknown[], { id: number; dueAt: number | null }>(
    database,
    `SELECT e.id AS id, min(d.due_at) AS dueAt FROM errands e
     LEFT JOIN errand_deadlines d ON d.errand_id = e.id AND d.status = 'running'
     ${filter} GROUP BY e.id`,
  ).all(...where.params);
  ordered.sort((a, b) => (a.dueAt ?? Number.MAX_SAFE_INTEGER) - (b.dueAt ?? Number.MAX_SAFE_INTEGER) || a.id - b.id);
  const details = statement<[number], ListedErrand>(
    database,
    `SELECT e.receipt_no AS receiptNo, c.name AS itemName, p.name AS residentName, e.village_code AS villageCode, e.status AS status,
       d.kind AS deadlineKind, d.due_date AS dueDate, d.due_at AS dueAt
     FROM errands e JOIN catalog_items c ON c.id = e.item_id JOIN people p ON p.id = e.requester_id
     LEFT JOIN errand_deadlines d ON d.errand_id = e.id AND d.status = 'running'
     WHERE e.id = ? ORDER BY d.due_at LIMIT 1`,
  );
  const errands = ordered.slice(0, limit).flatMap((o) => details.get(o.id) ?? []);
  return { total: ordered.length, errands };
}

/** Errands in scope with a running deadline already past, the most overdue first. */
export function overdueErrandsFor(database: Database, scope: ListScope, now: number, limit: number): { total: number; errands: ListedErrand[] } {
  const where = scopeSql(scope, 'e', true);
  const from = `FROM errand_deadlines d JOIN errands e ON e.id = d.errand_id WHERE d.status = 'running' AND d.due_at < ? AND ${where.sql}`;
  // (d.status = 'running' matches the partial index errand_deadlines_running_idx.)
  const total = statement<unknown[], { n: number }>(database, `SELECT count(DISTINCT e.id) AS n ${from}`).get(now, ...where.params)?.n ?? 0;
  const errands = statement<unknown[], ListedErrand>(
    database,
    `SELECT e.receipt_no AS receiptNo, c.name AS itemName, p.name AS residentName, e.village_code AS villageCode, e.status AS status,
       d.kind AS deadlineKind, d.due_date AS dueDate, d.due_at AS dueAt
     FROM errand_deadlines d JOIN errands e ON e.id = d.errand_id
     JOIN catalog_items c ON c.id = e.item_id JOIN people p ON p.id = e.requester_id
     WHERE d.status = 'running' AND d.due_at < ? AND ${where.sql}
     ORDER BY d.due_at, e.id LIMIT ?`,
  ).all(now, ...where.params, limit);
  return { total, errands };
}

export interface VillageStats {
  villageCode: string;
  errands: number;
  /** Share of the clocks closed in the period that were met; null when none closed. */
  onTimeRate: number | null;
  overdue: number;
  averageWorkingDays: number | null;
  /** Share of first ratings in the period that were 非常满意, 满意 or 基本满意 (levels 5–3); null without ratings. */
  satisfaction: number | null;
  complaints: number;
  /** The counts behind the rates, so that townships and the county can be summed (monthly reports). */
  completed: number;
  clocksMet: number;
  clocksBreached: number;
  workingDaysTotal: number;
  ratings: number;
  goodRatings: number;
}

export function villageStats(
  database: Database,
  q: { villages: readonly string[]; from: LocalDate; to: LocalDate; now: number; workingDays: (from: LocalDate, to: LocalDate) => number },
): VillageStats[] {
  const start = startOfShanghaiDay(q.from);
  const end = endOfShanghaiDay(q.to);
  const byVillage = <T extends { village: string }>(rows: T[]) => new Map(rows.map((r) => [r.village, r]));
  const created = byVillage(
    statement<[number, number], { village: string; n: number }>(
      database,
      // 受理: requests the agency took on; one the resident withdrew is not counted.
      "SELECT village_code AS village, count(*) AS n FROM errands WHERE created_at BETWEEN ? AND ? AND status <> 'withdrawn' GROUP BY village_code",
    ).all(start, end),
  );
  const clocks = byVillage(
    statement<[number, number], { village: string; met: number; breached: number }>(
      database,
      `SELECT e.village_code AS village, sum(d.status = 'met') AS met, sum(d.status = 'breached') AS breached
       FROM errand_deadlines d JOIN errands e ON e.id = d.errand_id
       WHERE d.closed_at BETWEEN ? AND ? AND d.status IN ('met', 'breached') GROUP BY e.village_code`,
    ).all(start, end),
  );
  const overdue = byVillage(
    statement<[number], { village: string; n: number }>(
      database,
      `SELECT e.village_code AS village, count(DISTINCT e.id) AS n FROM errand_deadlines d JOIN errands e ON e.id = d.errand_id
       WHERE d.status = 'running' AND d.due_at < ? GROUP BY e.village_code`,
    ).all(q.now),
  );
  const ratings = byVillage(
    statement<[number, number], { village: string; good: number; total: number }>(
      database,
      `SELECT e.village_code AS village, sum(r.level >= ${SATISFIED_FROM_LEVEL}) AS good, count(*) AS total FROM ratings r JOIN errands e ON e.id = r.errand_id
       WHERE r.round = 'first' AND r.created_at BETWEEN ? AND ? GROUP BY e.village_code`,
    ).all(start, end),
  );
  const complaints = byVillage(
    statement<[number, number], { village: string; n: number }>(
      database,
      `SELECT coalesce(e.village_code, p.village_code) AS village, count(*) AS n FROM complaints k
       JOIN people p ON p.id = k.person_id LEFT JOIN errands e ON e.id = k.errand_id
       WHERE k.created_at BETWEEN ? AND ? GROUP BY 1`,
    ).all(start, end),
  );
  const completions = statement<[number, number], { village: string; createdAt: number; completedAt: number }>(
    database,
    `SELECT e.village_code AS village, e.created_at AS createdAt, v.at AS completedAt FROM errand_events v JOIN errands e ON e.id = v.errand_id
     WHERE v.type IN ('complete', 'confirm_hand_back') AND v.at BETWEEN ? AND ?`,
  ).all(start, end);
  const days = new Map<string, number[]>();
  for (const c of completions) {
    const list = days.get(c.village) ?? [];
    list.push(q.workingDays(shanghaiDate(c.createdAt), shanghaiDate(c.completedAt)));
    days.set(c.village, list);
  }
  return q.villages.map((village) => {
    const clock = clocks.get(village);
    const closedClocks = (clock?.met ?? 0) + (clock?.breached ?? 0);
    const rated = ratings.get(village);
    const spans = days.get(village) ?? [];
    return {
      villageCode: village,
      errands: created.get(village)?.n ?? 0,
      onTimeRate: closedClocks ? (clock?.met ?? 0) / closedClocks : null,
      overdue: overdue.get(village)?.n ?? 0,
      averageWorkingDays: spans.length ? spans.reduce((a, b) => a + b, 0) / spans.length : null,
      satisfaction: rated?.total ? rated.good / rated.total : null,
      complaints: complaints.get(village)?.n ?? 0,
      completed: spans.length,
      clocksMet: clock?.met ?? 0,
      clocksBreached: clock?.breached ?? 0,
      workingDaysTotal: spans.reduce((a, b) => a + b, 0),
      ratings: rated?.total ?? 0,
      goodRatings: rated?.good ?? 0,
    };
  });
}
