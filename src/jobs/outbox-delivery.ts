import { deliveryKey } from './delivery-key.ts';
import { DelayedError, Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from '../app/ports.ts';
import { PermanentDeliveryError, type DeliveryOutcome, type OutboundChannel } from '../app/ports.ts';
import type { Database } from '../db/open-database.ts';
import { createWriteBatcher } from '../db/write-batcher.ts';
import { markOutboxFailed, markOutboxSent, markOutboxSentVia, outboxById, unsentNeighbour, type OutboxRow } from '../db/outbox-repository.ts';
import { outboxJobId, outboxQueueName, type OutboxJob } from './outbox-queues.ts';
import type { SendLimits } from './send-limits.ts';

/**
 * Delivers outbox notifications through BullMQ, one worker per channel queue. The database is the
 * source of truth: a job only names an outbox row (`outbox-<id>`), the processor re-reads the row
 * and does nothing unless it is still pending, and a sweeper re-enqueues pending rows (after a
 * crash, a Redis outage or a flush).
 *
 * Messages to one person (or one room) go out in the order they were written: jobs of the same
 * conversation run one after another, and a message whose predecessor is waiting (a retry, or the
 * destination's sending limit) waits too. Waiting puts the job back as delayed, which does not use
 * up its attempts. Each message carries a de-duplication key (`daiban-outbox-<id>`): when a worker
 * dies after the remote took a message but before the row was marked, the next attempt carries the
 * same key, for channels whose remote can drop a repeat.
 */

/** How long a message waits, each time, for an earlier one to the same conversation. */
const WAIT_FOR_EARLIER_MS = 1000;

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

const conversationOf = (row: OutboxRow) =>
  row.room === null ? `${row.channel}\u0000to\u0000${row.recipient ?? ''}` : `${row.channel}\u0000room\u0000${row.room}`;

export function createOutboxWorker(input: {
  connection: ConnectionOptions;
  prefix: string;
  database: Database;
  channel: OutboundChannel;
  logger: Logger;
  now: () => number;
  limits?: SendLimits;
  concurrency?: number;
  /** How long a job stays locked to this worker; a dead worker's jobs are taken over after it. */
  lockMs?: number;
  /** Enqueues messages a channel handed over to other channels (the sweeper catches them otherwise). */
  dispatch?: (outboxIds: number[]) => Promise<void>;
}): Worker<OutboxJob> {
  const { database, channel, logger } = input;
  // A job completes only after its row is marked.
  const markSent = createWriteBatcher<number>(database, (ids) => {
    for (const id of ids) markOutboxSent(database, id, input.now());
  });
  const inLane = createLanes();
  /** How often each message has been put back to wait (in this process): a long wait is logged. */
  const waited = new Map<number, number>();
  async function deliver(job: Job<OutboxJob>, row: OutboxRow): Promise<string> {
    const id = row.id;
    let outcome: DeliveryOutcome | void;
    try {
      outcome = await channel.send({
        outboxId: id,
        dedupeKey: deliveryKey(id),
        recipient: row.recipient,
        room: row.room,
        text: row.text,
        errandId: row.errandId,
      });
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError;
      const last = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const message = error instanceof Error ? error.message : String(error);
      markOutboxFailed(database, id, message, job.attemptsMade + 1, last);
      if (permanent) throw new UnrecoverableError(message);
      throw error;
    }
    if (outcome) {
      // The route, the mark and any hand-over in one transaction: a retry after a crash finds either all or nothing.
      const handOver = (outcome.handOver ?? []).map((h) => ({ ...h, kind: 'notification' as const }));
      const ids = markOutboxSentVia(database, { id, route: outcome.route, detail: outcome.detail, handOver, now: input.now() });
      if (ids?.length)
        await input
          .dispatch?.(ids)
          .catch((error: unknown) => logger.warn({ err: error, outboxIds: ids }, 'hand-over not enqueued; the outbox sweeper will send it'));
    } else {
      await markSent(id);
    }
    wakeNext(row);
    return 'sent';
  }

  // The next message to the same person or room may be waiting (delayed) for this one: wake it now
  // rather than at its next look, so a backlog flows at sending speed, not one message a second.
  const queue = new Queue<OutboxJob>(outboxQueueName(channel.name), { connection: input.connection, prefix: input.prefix });
  queue.on('error', () => undefined);
  function wakeNext(row: OutboxRow): void {
    const next = unsentNeighbour(database, row, 'after');
    if (next === undefined) return;
    void (async () => {
      const job = await queue.getJob(outboxJobId(next));
      if (job && (await job.isDelayed())) await job.promote();
    })().catch(() => undefined); // it raced to another state: nothing to wake
  }

  const worker = new Worker<OutboxJob>(
    outboxQueueName(channel.name),
    async (job, token) => {
      const id = Number(job.data?.outboxId);
      if (!Number.isSafeInteger(id)) throw new UnrecoverableError(`job ${job.id ?? '?'} has no outbox id`);
      const first = outboxById(database, id);
      if (!first || first.status !== 'pending') return 'skipped';
      return inLane(conversationOf(first), async () => {
        const row = outboxById(database, id);
        if (!row || row.status !== 'pending') {
          waited.delete(id);
          return 'skipped';
        }
        if (row.channel !== channel.name) throw new UnrecoverableError(`outbox row ${id} belongs to channel ${row.channel}, not ${channel.name}`);
        const earlier = unsentNeighbour(database, row, 'before');
        let waitMs = earlier !== undefined ? WAIT_FOR_EARLIER_MS : (channel.holdMs?.() ?? 0);
        if (waitMs === 0) waitMs = (await input.limits?.waitMs(row)) || ((await channel.waitMs?.(row)) ?? 0);
        if (waitMs > 0) {
          const waits = (waited.get(id) ?? 0) + 1;
          waited.set(id, waits);
          if (waits % 30 === 0)
            logger.warn({ outboxId: id, waits, earlier, waitMs }, "outbox message keeps waiting (for an earlier message, or its destination's limit)");
          await job.moveToDelayed(Date.now() + waitMs, token);
          throw new DelayedError();
        }
        waited.delete(id);
        return deliver(job, row);
      });
    },
    {
      connection: { ...input.connection, maxRetriesPerRequest: null },
      prefix: input.prefix,
      concurrency: input.concurrency ?? 4,
      ...(input.lockMs ? { lockDuration: input.lockMs, stalledInterval: input.lockMs } : {}),
      // A stalled job means a worker died, not that the message failed: the row decides whether it is
      // sent, so the job is taken over however often that happens.
      maxStalledCount: 1000,
    },
  );

  worker.on('failed', (job, error) => logger.warn({ jobId: job?.id, channel: channel.name, err: error }, 'outbox delivery failed'));
  worker.on('error', (error) => logger.error({ err: error }, 'outbox worker error'));
  worker.on('closed', () => void queue.close());
  return worker;
}
