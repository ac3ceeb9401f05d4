import type { ComplaintType } from '../conversation/effects.ts';
import type { Database } from './open-database.ts';
import { complaints } from './schema.ts';

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
