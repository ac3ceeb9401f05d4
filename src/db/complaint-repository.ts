import type { ComplaintType } from '../conversation/effects.ts';
import type { Database } from './open-database.ts';
import { complaints } from './schema.ts';
import { statement } from './statement-cache.ts';

/** Complaints (投诉/举报) for the supervisor. */
export function insertComplaint(
  database: Database,
  c: { personId: string; errandId: number | null; type: ComplaintType; text: string; dueDate: string; dueAt: number; now: number },
): number {
  return database.db
    .insert(complaints)
    .values({ personId: c.personId, errandId: c.errandId, type: c.type, text: c.text, status: 'open', createdAt: c.now, dueDate: c.dueDate, dueAt: c.dueAt })
    .returning({ id: complaints.id })
    .get().id;
}

/** Complaints not yet settled, those past their time limit, and those due on `date` (the supervisors' digest). */
export function complaintBacklog(database: Database, date: string, now: number): { open: number; overdue: number; dueToday: number } {
  return statement<[number, string, number], { open: number; overdue: number; dueToday: number }>(
    database,
    `SELECT count(*) AS open, coalesce(sum(due_at < ?), 0) AS overdue, coalesce(sum(due_date = ? AND due_at >= ?), 0) AS dueToday
     FROM complaints WHERE status IN ('open', 'in_progress')`,
  ).get(now, date, now)!;
}
