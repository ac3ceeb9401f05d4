import { endOfShanghaiDay, startOfShanghaiDay, type LocalDate } from '../calendar/local-date.ts';
import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';

/**
 * What the deadline machinery did in a period, per village (the 统计 command): reminders and
 * escalations sent (deadline_alerts holds only steps that were sent: a step is recorded in the
 * transaction that writes its messages), and dead letters — notifications about the village's
 * errands that were given up on, counted by when they were written.
 */

export interface VillageDeliveryStats {
  villageCode: string;
  reminders: number;
  escalations: number;
  deadLetters: number;
}

export function villageDeliveryStats(database: Database, q: { villages: readonly string[]; from: LocalDate; to: LocalDate }): VillageDeliveryStats[] {
  const start = startOfShanghaiDay(q.from);
  const end = endOfShanghaiDay(q.to);
  // Steps are r<n> (reminder n working days before) and e<k> (escalation level k): see domain/deadline-alerts.ts.
  const alerts = new Map(
    statement<[number, number], { village: string; reminders: number; escalations: number }>(
      database,
      `SELECT e.village_code AS village, sum(substr(a.step, 1, 1) = 'r') AS reminders, sum(substr(a.step, 1, 1) = 'e') AS escalations
       FROM deadline_alerts a JOIN errands e ON e.id = a.errand_id
       WHERE a.sent_at BETWEEN ? AND ? GROUP BY e.village_code`,
    )
      .all(start, end)
      .map((r) => [r.village, r]),
  );
  const dead = new Map(
    statement<[number, number], { village: string; n: number }>(
      database,
      `SELECT e.village_code AS village, count(*) AS n FROM outbox o JOIN errands e ON e.id = o.errand_id
       WHERE o.status = 'dead' AND o.created_at BETWEEN ? AND ? GROUP BY e.village_code`,
    )
      .all(start, end)
      .map((r) => [r.village, r.n]),
  );
  return q.villages.map((village) => ({
    villageCode: village,
    reminders: alerts.get(village)?.reminders ?? 0,
    escalations: alerts.get(village)?.escalations ?? 0,
    deadLetters: dead.get(village) ?? 0,
  }));
}

/** Dead letters written in the period, whether or not they concern an errand (the county's total). */
export function deadLettersBetween(database: Database, q: { from: LocalDate; to: LocalDate }): number {
  return (
    statement<[number, number], { n: number }>(database, "SELECT count(*) AS n FROM outbox WHERE status = 'dead' AND created_at BETWEEN ? AND ?").get(
      startOfShanghaiDay(q.from),
      endOfShanghaiDay(q.to),
    )?.n ?? 0
  );
}
