import { Queue, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import type { OutboxDispatch, Logger } from '../app/ports.ts';
import { PermanentDeliveryError, type OutboundChannel } from '../channels/outbound-channel.ts';
import type { Database } from '../db/open-database.ts';
import { markOutboxFailed, markOutboxSent, outboxById, pendingOutboxIds } from '../db/outbox-repository.ts';

/**
 * Delivers outbox notifications through BullMQ. The database is the source of truth: a job only
 * names an outbox row (`outbox-<id>`), the processor re-reads the row and does nothing unless it is
 * still pending, and a sweeper re-enqueues pending rows (after a crash, a Redis outage or a flush).
 */

export const OUTBOX_QUEUE = 'outbox';
const ATTEMPTS = 6;

export interface OutboxJob {
  outboxId: number;
}

export const outboxJobId = (outboxId: number) => `outbox-${outboxId}`;

export function createOutboxQueue(connection: ConnectionOptions, prefix: string): Queue<OutboxJob> & OutboxDispatch {
  const queue = new Queue<OutboxJob>(OUTBOX_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  });
  return Object.assign(queue, {
    async enqueue(ids: readonly number[]) {
      if (!ids.length) return;
      await queue.addBulk(ids.map((outboxId) => ({ name: 'deliver', data: { outboxId }, opts: { jobId: outboxJobId(outboxId) } })));
    },
  });
}

/**
 * Marks delivered messages sent in batches: deliveries finishing together share one transaction
 * instead of one commit each. A job completes only after its row is marked.
 */
function createSentMarker(database: Database, now: () => number) {
  let batch: { id: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const current = batch;
    batch = [];
    try {
      database.write(() => {
        for (const item of current) markOutboxSent(database, item.id, now());
      });
      for (const item of current) item.resolve();
    } catch (error) {
      for (const item of current) item.reject(error);
    }
  };
  return (id: number) =>
    new Promise<void>((resolve, reject) => {
      if (batch.length === 0) setImmediate(flush);
      batch.push({ id, resolve, reject });
    });
}

export function createOutboxWorker(input: {
  connection: ConnectionOptions;
  prefix: string;
  database: Database;
  channels: ReadonlyMap<string, OutboundChannel>;
  logger: Logger;
  now: () => number;
  concurrency?: number;
}): Worker<OutboxJob> {
  const { database, channels, logger } = input;
  const markSent = createSentMarker(database, input.now);
  const worker = new Worker<OutboxJob>(
    OUTBOX_QUEUE,
    async (job) => {
      const id = Number(job.data?.outboxId);
      if (!Number.isSafeInteger(id)) throw new UnrecoverableError(`job ${job.id ?? '?'} has no outbox id`);
      const row = outboxById(database, id);
      if (!row || row.status !== 'pending') return 'skipped';
      const channel = channels.get(row.channel);
      if (!channel) {
        markOutboxFailed(database, id, `channel ${row.channel} is not enabled in this deployment`, job.attemptsMade + 1, true);
        throw new UnrecoverableError(`channel ${row.channel} is not enabled`);
      }
      try {
        await channel.send({ outboxId: id, recipient: row.recipient, room: row.room, text: row.text });
      } catch (error) {
        const permanent = error instanceof PermanentDeliveryError;
        const last = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const message = error instanceof Error ? error.message : String(error);
        markOutboxFailed(database, id, message, job.attemptsMade + 1, last);
        if (permanent) throw new UnrecoverableError(message);
        throw error;
      }
      await markSent(id);
      return 'sent';
    },
    { connection: { ...input.connection, maxRetriesPerRequest: null }, prefix: input.prefix, concurrency: input.concurrency ?? 4 },
  );
  worker.on('failed', (job, error) => logger.warn({ jobId: job?.id, err: error }, 'outbox delivery failed'));
  worker.on('error', (error) => logger.error({ err: error }, 'outbox worker error'));
  return worker;
}

/** Re-enqueues every pending outbox row; run at start-up and periodically. Returns how many. */
export async function sweepOutbox(database: Database, dispatch: OutboxDispatch, batch = 1000): Promise<number> {
  let total = 0;
  for (let after = 0; ; ) {
    const ids = pendingOutboxIds(database, after, batch);
    if (!ids.length) return total;
    await dispatch.enqueue(ids);
    total += ids.length;
    after = ids[ids.length - 1] ?? after;
  }
}
