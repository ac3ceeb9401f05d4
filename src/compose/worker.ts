import type { Worker } from 'bullmq';
import { createAlertWorker } from '../jobs/deadline-jobs.ts';
import { createOutboxWorker } from '../jobs/outbox-delivery.ts';
import { sweepOutbox } from '../jobs/outbox-queues.ts';
import { startSweepTimers } from '../jobs/sweep-timers.ts';
import type { Core } from './core.ts';

/**
 * The worker role: an outbox worker per sending channel, the deadline alert worker, the digest
 * schedulers (their worker runs in the core's digest jobs), and the periodic chores — the outbox
 * sweep (with the followers' photos and UnionIDs) and the check that Redis still holds the alert jobs.
 */
export interface WorkerRole {
  /** Re-enqueues pending outbox rows (also runs every `sweepEveryMs`). */
  sweep: () => Promise<number>;
  close(): Promise<void>;
}

export function composeWorker(
  core: Core,
  options: {
    /** How often pending outbox rows are swept (and, at most every 5 s, lost alert jobs checked); 0: never. */
    sweepEveryMs: number;
    /** false: the chores only, no queue worker (tests and benchmarks that watch the queues fill). Default true. */
    workers?: boolean;
  },
): WorkerRole {
  const { config, database, logger, clock, outbox } = core;
  const connection = { url: core.redisUrl };
  const runWorkers = options.workers !== false;
  const workers: Worker[] = (runWorkers ? core.channels : []).map((channel) =>
    createOutboxWorker({
      connection,
      prefix: config.bullmqPrefix,
      database,
      channel,
      limits: core.limits,
      logger,
      now: clock,
      lockMs: config.jobLockMs,
      dispatch: (ids) => outbox.enqueue(ids),
    }),
  );
  if (workers.length) logger.info({ channels: workers.map((w) => w.name) }, 'outbox workers started');
  if (runWorkers)
    workers.push(
      createAlertWorker({
        connection,
        prefix: config.bullmqPrefix,
        env: core.contexts,
        now: clock,
        logger,
        deliver: (ids) => outbox.enqueue(ids),
        scheduleNext: (id) => core.alertScheduler.schedule([id]),
      }),
    );

  const sweep = async () => {
    // Workers also fetch followers' photos and UnionIDs (follower-chores.ts).
    if (runWorkers) void core.followers.run();
    try {
      return await sweepOutbox(database, outbox, clock());
    } catch (error) {
      logger.warn({ err: error }, 'outbox sweep failed; will try again');
      return 0;
    }
  };
  const timers = startSweepTimers({ everyMs: options.sweepEveryMs, sweep, checkAlerts: core.alerts.check });
  core.digestJobs.start().catch((error: unknown) => logger.warn({ err: error }, 'digest schedulers not set at start-up (Redis away?); retried every minute'));
  return {
    sweep,
    async close() {
      timers.stop();
      // Closing a worker waits for the jobs it is running.
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
