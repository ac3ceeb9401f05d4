import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';

/**
 * An errand's facts a structured notification shows (template and subscribe messages): one indexed
 * lookup, read only when a message falls back from plain text. (Plain SQL: the outbox worker's path.)
 */
export interface ErrandFacts {
  receiptNo: string;
  status: string;
  itemName: string;
  villageName: string | null;
  /** The next running deadline's Shanghai date (YYYY-MM-DD), if any. */
  dueDate: string | null;
  requesterId: string;
  villageCode: string;
}

export function errandFacts(database: Database, errandId: number): ErrandFacts | undefined {
  return statement<[number], ErrandFacts>(
    database,
    `SELECT e.receipt_no AS receiptNo, e.status, c.name AS itemName, v.name AS villageName, e.requester_id AS requesterId, e.village_code AS villageCode,
       (SELECT min(d.due_date) FROM errand_deadlines d WHERE d.errand_id = e.id AND d.status = 'running' AND d.due_date IS NOT NULL) AS dueDate
     FROM errands e JOIN catalog_items c ON c.id = e.item_id LEFT JOIN villages v ON v.code = e.village_code WHERE e.id = ?`,
  ).get(errandId);
}
