import { DelayedError, Queue, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../app/ports.ts';
import { alertJobId, allAlertJobs, alertJobsFor, fireAlert, type AlertEnv, type AlertJobData } from '../app/deadline-alerts.ts';

/**
 * Reminders and escalations as BullMQ delayed jobs: one job per running clock, for its next step;
 * when it has fired, the clock's following step is scheduled. The database is the source of truth:
 * after a move the errand's jobs are scheduled anew under its new version
 * (the old ones find the version changed and do nothing), and `rebuild` schedules every errand's
 * jobs again from the database (at start-up, and when Redis lost them); ids make that idempotent.
 */

export const DEADLINE_QUEUE = 'deadlines';

export interface AlertScheduler {
  /** Schedules the jobs of errands that just changed (after their transaction committed), batched per tick. */
  schedule(errandIds: Iterable<number>): Promise<number>;
  /** Schedules every errand's jobs from the database; returns how many jobs were added or kept. */
  rebuild(): Promise<number>;
  queue: Queue<AlertJobData>;
  close(): Promise<void>;
}

export function createAlertScheduler(connection: ConnectionOptions, prefix: string, env: () => AlertEnv, now: () => number): AlertScheduler {
  const queue = new Queue<AlertJobData>(DEADLINE_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { attempts: 8, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  });
  const add = async (jobs: AlertJobData[]) => {
    if (!jobs.length) return 0;
    const t = now();
    await queue.addBulk(jobs.map((data) => ({ name: 'alert', data, opts: { jobId: alertJobId(data), delay: Math.max(0, data.at - t) } })));
    return jobs.length;
  };
  // Errands changed by the messages of one tick are scheduled together, after those messages were
  // answered: one read of their clocks and one addBulk, off the request's path.
  let pending = new Set<number>();
  let flushing: Promise<number> | null = null;
  const flush = () => {
    const ids = pending;
    pending = new Set();
    flushing = null;
    return add(alertJobsFor(env(), ids, now()));
  };
  return {
    queue,
    schedule(errandIds) {
      for (const id of errandIds) pending.add(id);
      flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(flush);
      return flushing;
    },
    async rebuild() {
      let total = 0;
      // Small batches with a turn of the event loop between them: messages keep being answered
      // meanwhile. A few batches travel to Redis while the next ones are read from the database.
      const inFlight = new Set<Promise<void>>();
      const failed: { error?: Error } = {};
      for (const jobs of allAlertJobs(env(), now(), 200)) {
        const sending: Promise<void> = add(jobs)
          .then(
            (n) => void (total += n),
            (error: unknown) => void (failed.error ??= error instanceof Error ? error : new Error(String(error))),
          )
          .finally(() => inFlight.delete(sending));
        inFlight.add(sending);
        if (inFlight.size >= 4) await Promise.race(inFlight);
        if (failed.error) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all(inFlight);
      if (failed.error) throw failed.error;
      return total;
    },
    close: () => queue.close(),
  };
}

export function createAlertWorker(input: {
  connection: ConnectionOptions;
  prefix: string;
  env: () => AlertEnv;
  now: () => number;
  logger: Logger;
  /** Hands the outbox rows of a sent alert to delivery. */
  deliver: (outboxIds: number[]) => Promise<void>;
  /** Schedules the next steps of the errand's clocks once a step is done. */
  scheduleNext: (errandId: number) => Promise<unknown>;
}): Worker<AlertJobData> {
  const worker = new Worker<AlertJobData>(
    DEADLINE_QUEUE,
    async (job, token) => {
      const d = job.data;
      if (![d?.errandId, d?.version, d?.deadlineId, d?.dueAt, d?.at].every(Number.isSafeInteger) || typeof d?.step !== 'string') {
        // A payload from an older or foreign version: nothing to act on; the rebuild schedules what is due.
        throw new UnrecoverableError(`alert job ${job.id ?? '?'} has an unknown payload`);
      }
      const outcome = fireAlert(input.env(), d, input.now());
      if (outcome.kind === 'early') {
        await job.moveToDelayed(Date.now() + Math.max(1000, outcome.at - input.now()), token);
        throw new DelayedError();
      }
      if (outcome.kind === 'sent') {
        input.logger.info({ errandId: d.errandId, step: d.step, messages: outcome.outboxIds.length }, 'deadline alert sent');
        await input
          .deliver(outcome.outboxIds)
          .catch((error: unknown) => input.logger.warn({ err: error }, 'alert delivery deferred; the outbox sweeper will send it'));
      }
      // The step is recorded (sent now or before): its clock's next step takes its place. A failure
      // here fails the job, whose retry finds the step recorded and schedules again.
      if (outcome.kind === 'sent' || outcome.kind === 'duplicate') await input.scheduleNext(d.errandId);
      return outcome.kind;
    },
    { connection: { ...input.connection, maxRetriesPerRequest: null }, prefix: input.prefix, concurrency: 4 },
  );
  worker.on('failed', (job, error) => input.logger.warn({ jobId: job?.id, err: error }, 'deadline alert job failed'));
  worker.on('error', (error) => input.logger.error({ err: error }, 'deadline alert worker error'));
  return worker;
}
