import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';

/**
 * How notifications reached people over a period (by the time they were written): per channel, how
 * many were sent, are still waiting or became dead letters, and by which route the sent ones went
 * (`outbox_routes`: customer_service, template, subscribe, agent_task; `direct` for channels with one
 * way only); and where the village agents had to phone or visit instead, per village.
 */

export interface ChannelDeliveries {
  channel: string;
  sent: number;
  pending: number;
  dead: number;
  routes: Record<string, number>;
}

export function deliveriesBetween(database: Database, from: number, to: number): ChannelDeliveries[] {
  const rows = statement<[number, number], { channel: string; status: string; route: string | null; n: number }>(
    database,
    `SELECT o.channel, o.status, r.route, count(*) AS n FROM outbox o LEFT JOIN outbox_routes r ON r.outbox_id = o.id
     WHERE o.kind = 'notification' AND o.created_at >= ? AND o.created_at < ? GROUP BY o.channel, o.status, r.route ORDER BY o.channel`,
  ).all(from, to);
  const byChannel = new Map<string, ChannelDeliveries>();
  for (const row of rows) {
    const c = byChannel.get(row.channel) ?? { channel: row.channel, sent: 0, pending: 0, dead: 0, routes: {} };
    byChannel.set(row.channel, c);
    if (row.status === 'sent') {
      c.sent += row.n;
      const route = row.route ?? 'direct';
      c.routes[route] = (c.routes[route] ?? 0) + row.n;
    } else if (row.status === 'pending') c.pending += row.n;
    else if (row.status === 'dead') c.dead += row.n;
  }
  return [...byChannel.values()];
}

/** Notifications handed to the village agent to phone or visit, per village of the errand (errand-less ones under null). */
export function agentTasksByVillage(database: Database, from: number, to: number): { villageCode: string | null; count: number }[] {
  return statement<[number, number], { villageCode: string | null; count: number }>(
    database,
    `SELECT e.village_code AS villageCode, count(*) AS count FROM outbox o JOIN outbox_routes r ON r.outbox_id = o.id LEFT JOIN errands e ON e.id = o.errand_id
     WHERE r.route = 'agent_task' AND o.created_at >= ? AND o.created_at < ? GROUP BY e.village_code ORDER BY count DESC, e.village_code`,
  ).all(from, to);
}
