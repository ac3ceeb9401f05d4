/**
 * The periodic chores of a worker process: pending outbox rows are swept every minute; whether Redis
 * lost the alert jobs (one EXISTS) is checked every few seconds, so that a flushed or restarted Redis
 * gets them back within seconds. Both run once at start. `everyMs` 0: never (a web-only process).
 */

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const nodeTimers: Timers = {
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

export interface SweepTimers {
  stop(): void;
}

export function startSweepTimers(input: {
  everyMs: number;
  /** At most this often the alert check runs (never more often than the sweep's own interval). */
  alertCheckMaxMs?: number;
  sweep: () => Promise<unknown>;
  checkAlerts: () => Promise<unknown>;
  timers?: Timers;
}): SweepTimers {
  const { everyMs, sweep, checkAlerts } = input;
  if (everyMs <= 0) return { stop: () => undefined };
  const timers = input.timers ?? nodeTimers;
  const alertEvery = Math.min(everyMs, input.alertCheckMaxMs ?? 5_000);
  void Promise.all([sweep(), checkAlerts()]);
  const handles = [timers.setInterval(() => void sweep(), everyMs), timers.setInterval(() => void checkAlerts(), alertEvery)];
  return {
    stop: () => handles.forEach((h) => timers.clearInterval(h)),
  };
}
