import type { Logger } from '../app/ports.ts';
import type { AlertScheduler } from './deadline-jobs.ts';

/**
 * Keeps the deadline alert jobs in Redis in step with the database. After a commit the changed errands'
 * jobs are scheduled; when that fails (Redis away) or Redis lost the jobs (flushed, or restarted
 * empty: the "built" marker is gone), the next check rebuilds every errand's jobs from the database.
 * One rebuild at a time: a check that finds one running waits for it instead of starting another.
 */

export interface AlertsBuiltMarker {
  /** The jobs were built from the database and Redis still holds them. */
  present(): Promise<boolean>;
  set(at: number): Promise<void>;
}

export interface AlertRebuild {
  /** Told after a commit which errands changed. */
  changed: (errandIds: ReadonlySet<number>) => void;
  /** Rebuilds every errand's jobs now (or joins the rebuild under way); resolves to the number of jobs. */
  rebuild: () => Promise<number>;
  /** Rebuilds when needed; never throws (a failure is logged and the next check tries again). */
  check: () => Promise<void>;
}

export function createAlertRebuild(input: {
  scheduler: Pick<AlertScheduler, 'schedule' | 'rebuild'>;
  marker: AlertsBuiltMarker;
  logger: Logger;
  clock: () => number;
}): AlertRebuild {
  const { scheduler, marker, logger } = input;
  // Nothing is known about Redis at start-up: the first check rebuilds.
  let needed = true;
  let running: Promise<number> | null = null;

  const rebuild = () => {
    running ??= (async () => {
      // Cleared before, so that a scheduling that fails while the rebuild runs still asks for another.
      needed = false;
      try {
        const count = await scheduler.rebuild();
        await marker.set(input.clock());
        logger.info({ jobs: count }, 'deadline alert jobs scheduled from the database');
        return count;
      } catch (error) {
        needed = true;
        throw error;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  return {
    changed: (errandIds) => {
      scheduler.schedule(errandIds).catch((error: unknown) => {
        if (!needed) logger.warn({ err: error }, 'deadline alerts not scheduled (Redis unreachable?): the next sweep rebuilds them');
        needed = true;
      });
    },
    rebuild,
    check: async () => {
      try {
        if (running) return;
        if (needed || !(await marker.present())) await rebuild();
      } catch (error) {
        logger.warn({ err: error }, 'deadline alert rebuild failed; will try again');
      }
    },
  };
}

/** The marker as a Redis key of the deployment's prefix. */
export function redisAlertsBuiltMarker(
  redis: { exists(key: string): Promise<number>; set(key: string, value: string): Promise<unknown> },
  prefix: string,
): AlertsBuiltMarker {
  const key = `${prefix}:daiban:alerts-built`;
  return {
    present: async () => (await redis.exists(key)) > 0,
    set: async (at) => {
      await redis.set(key, String(at));
    },
  };
}
