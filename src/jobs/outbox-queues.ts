import { Queue, type ConnectionOptions } from 'bullmq';
import type { OutboxDispatch } from '../app/ports.ts';
import type { Database } from '../db/open-database.ts';
import { markOutboxFailed, outboxChannels, pendingOutboxIds, stalePendingOutboxIds } from '../db/outbox-repository.ts';

/**
 * One BullMQ queue per channel (`outbox-<channel>`): a slow or rate-limited WeChat API never holds up
 * another channel's messages, and each channel's workers are sized and limited on their own. A job
 * only names an outbox row; the row, not the job, is the truth.
 */

export interface OutboxJob {
  outboxId: number;
}

export const outboxQueueName = (channel: string) => `outbox-${channel}`;
export const outboxJobId = (outboxId: number) => `outbox-${outboxId}`;
const ATTEMPTS = 6;

export interface OutboxQueues extends OutboxDispatch {
  readonly queues: ReadonlyMap<string, Queue<OutboxJob>>;
  /** Sends rows again whose jobs have ended (dead letters retried by an admin, or jobs that failed for good). */
  redeliver(outboxIds: readonly number[]): Promise<void>;
  close(): Promise<void>;
}

export function createOutboxQueues(input: {
  connection: ConnectionOptions;
  prefix: string;
  database: Database;
  /** The channels this deployment sends through; rows for any other channel are parked as dead. */
  channels: readonly string[];
  onError?: (error: Error) => void;
}): OutboxQueues {
  const { database } = input;
  const queues = new Map<string, Queue<OutboxJob>>();
  for (const channel of input.channels) {
    const queue = new Queue<OutboxJob>(outboxQueueName(channel), {
      connection: input.connection,
      prefix: input.prefix,
      defaultJobOptions: { attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 },
    });
    if (input.onError) queue.on('error', input.onError);
    queues.set(channel, queue);
  }

  /** Groups rows by their channel's queue; a row for a channel without one is parked as dead at once. */
  function byQueue(ids: readonly number[]): Map<Queue<OutboxJob>, number[]> {
    const grouped = new Map<Queue<OutboxJob>, number[]>();
    for (const { id, channel } of outboxChannels(database, ids)) {
      const queue = queues.get(channel);
      if (!queue) {
        database.write(() => markOutboxFailed(database, id, `channel ${channel} is not enabled in this deployment`, 0, true));
        continue;
      }
      const list = grouped.get(queue) ?? [];
      list.push(id);
      grouped.set(queue, list);
    }
    return grouped;
  }

  return {
    queues,
    async enqueue(ids) {
      if (!ids.length) return;
      await Promise.all(
        [...byQueue(ids)].map(([queue, list]) =>
          queue.addBulk(list.map((outboxId) => ({ name: 'deliver', data: { outboxId }, opts: { jobId: outboxJobId(outboxId) } }))),
        ),
      );
    },
    async redeliver(ids) {
      for (const [queue, list] of byQueue(ids)) {
        for (const outboxId of list) {
          // An ended job would keep its id and swallow the new one; remove it first (an active one stays).
          const old = await queue.getJob(outboxJobId(outboxId));
          const state = await old?.getState();
          if (state === 'failed' || state === 'completed') await old?.remove();
        }
        await queue.addBulk(list.map((outboxId) => ({ name: 'deliver', data: { outboxId }, opts: { jobId: outboxJobId(outboxId) } })));
      }
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}

/**
 * Re-enqueues every pending outbox row (run at start-up and periodically), and sends again rows
 * pending for more than `staleAfterMs` whose job ended without sending them (e.g. a job that
 * stalled too often when workers died). Returns how many rows were enqueued.
 */
export async function sweepOutbox(
  database: Database,
  outbox: OutboxQueues,
  now: number,
  options: { batch?: number; staleAfterMs?: number } = {},
): Promise<number> {
  const batch = options.batch ?? 1000;
  let total = 0;
  for (let after = 0; ;) {
    const ids = pendingOutboxIds(database, after, batch);
    if (!ids.length) break;
    await outbox.enqueue(ids);
    total += ids.length;
    after = ids[ids.length - 1] ?? after;
  }
  const stale = stalePendingOutboxIds(database, now - (options.staleAfterMs ?? 120_000), batch);
  if (stale.length) await outbox.redeliver(stale);
  return total;
}
