import { DelayedError, Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { OutboxDispatch, Logger } from '../app/ports.ts';
import { PermanentDeliveryError, type OutboundChannel } from '../channels/outbound-channel.ts';
import type { Database } from '../db/open-database.ts';
import { earlierUnsentFor, markOutboxFailed, markOutboxSent, outboxById, pendingOutboxIds, type OutboxRow } from '../db/outbox-repository.ts';

/**
 * Delivers outbox notifications through BullMQ. The database is the source of truth: a job only
 * names an outbox row (`outbox-<id>`), the processor re-reads the row and does nothing unless it is
 * still pending, and a sweeper re-enqueues pending rows (after a crash, a Redis outage or a flush).
 *
 * Messages to one person (or one room) go out in the order they were written: jobs of the same
 * conversation run one after another, and a message whose predecessor is waiting for a retry
 * waits too (it is put back as delayed, which does not use up its attempts).
 */

export const OUTBOX_QUEUE = 'outbox';
const ATTEMPTS = 6;
/** How long a message waits, each time, for an earlier one to the same conversation. */
const WAIT_FOR_EARLIER_MS = 1000;

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

/** Runs tasks of one conversation one at a time, in the order they arrive; others run alongside. */
function createLanes() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

const conversationOf = (row: OutboxRow) => (row.room === null ? `${row.channel}\u0000to\u0000${row.recipient ?? ''}` : `${row.channel}\u0000room\u0000${row.room}`);

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
  const inLane = createLanes();
  async function deliver(job: Job<OutboxJob>, row: OutboxRow): Promise<string> {
    const id = row.id;
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
  }

  const worker = new Worker<OutboxJob>(
    OUTBOX_QUEUE,
    async (job, token) => {
      const id = Number(job.data?.outboxId);
      if (!Number.isSafeInteger(id)) throw new UnrecoverableError(`job ${job.id ?? '?'} has no outbox id`);
      const first = outboxById(database, id);
      if (!first || first.status !== 'pending') return 'skipped';
      return inLane(conversationOf(first), async () => {
        const row = outboxById(database, id);
        if (!row || row.status !== 'pending') return 'skipped';
        if (earlierUnsentFor(database, row)) {
          await job.moveToDelayed(Date.now() + WAIT_FOR_EARLIER_MS, token);
          throw new DelayedError();
        }
        return deliver(job, row);
      });
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
