import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';

/** Reminder and escalation steps already sent (see schema deadline_alerts). */

export function sentSteps(database: Database, deadlineId: number, dueAt: number): Set<string> {
  const rows = statement<[number, number], { step: string }>(database, 'SELECT step FROM deadline_alerts WHERE deadline_id = ? AND due_at = ?').all(
    deadlineId,
    dueAt,
  );
  return new Set(rows.map((r) => r.step));
}

/** Records a step as sent; false when it already was (the caller then sends nothing). */
export function recordAlert(database: Database, a: { deadlineId: number; dueAt: number; step: string; errandId: number; at: number }): boolean {
  return (
    statement(database, 'INSERT OR IGNORE INTO deadline_alerts (deadline_id, due_at, step, errand_id, sent_at) VALUES (?, ?, ?, ?, ?)').run(
      a.deadlineId,
      a.dueAt,
      a.step,
      a.errandId,
      a.at,
    ).changes === 1
  );
}

/** Errands with a running clock, by id from `after` (for rebuilding every alert job). */
export function errandsWithRunningClocks(database: Database, after: number, limit: number): number[] {
  return statement<[number, number], { id: number }>(
    database,
    "SELECT DISTINCT errand_id AS id FROM errand_deadlines WHERE status = 'running' AND errand_id > ? ORDER BY errand_id LIMIT ?",
  )
    .all(after, limit)
    .map((r) => r.id);
}
