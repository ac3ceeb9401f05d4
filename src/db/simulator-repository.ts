import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';

/** The simulator's far end: one row per de-duplication key, repeats counted. */

export function recordSimulatorDelivery(database: Database, dedupeKey: string, outboxId: number, now: number): void {
  statement(
    database,
    'INSERT INTO simulator_deliveries (dedupe_key, outbox_id, delivered_at, repeats) VALUES (?, ?, ?, 0) ON CONFLICT (dedupe_key) DO UPDATE SET repeats = repeats + 1',
  ).run(dedupeKey, outboxId, now);
}

/** How many messages reached the simulator's far end, and how many repeats it dropped. */
export function simulatorDeliveryCounts(database: Database): { delivered: number; repeats: number } {
  return statement<[], { delivered: number; repeats: number }>(
    database,
    'SELECT count(*) AS delivered, coalesce(sum(repeats), 0) AS repeats FROM simulator_deliveries',
  ).get()!;
}

/** Outbox ids delivered to the simulator's far end, with the repeats of each (for crash tests). */
export function simulatorDeliveries(database: Database): { outboxId: number; repeats: number }[] {
  return statement<[], { outboxId: number; repeats: number }>(
    database,
    'SELECT outbox_id AS outboxId, repeats FROM simulator_deliveries ORDER BY outbox_id',
  ).all();
}
