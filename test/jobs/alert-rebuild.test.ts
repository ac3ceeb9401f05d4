import { describe, expect, it } from 'vitest';
import { createAlertRebuild, type AlertsBuiltMarker } from '../../src/jobs/alert-rebuild.ts';
import { startSweepTimers, type Timers } from '../../src/jobs/sweep-timers.ts';

/** A scheduler whose Redis can be taken away and whose rebuilds can be held open. */
function fakeScheduler() {
  const state = { up: true, scheduled: [] as number[][], rebuilds: 0, hold: null as Promise<void> | null };
  return {
    state,
    schedule: async (ids: Iterable<number>) => {
      if (!state.up) throw new Error('Redis away');
      state.scheduled.push([...ids]);
      return 1;
    },
    rebuild: async () => {
      state.rebuilds++;
      if (state.hold) await state.hold;
      if (!state.up) throw new Error('Redis away');
      return 7;
    },
  };
}

function fakeMarker(): AlertsBuiltMarker & { at: number | null } {
  const m = {
    at: null as number | null,
    present: async () => m.at !== null,
    set: async (at: number) => {
      m.at = at;
    },
  };
  return m;
}

const logs: string[] = [];
const logger = { info: (_o: object, msg: string) => logs.push(msg), warn: (_o: object, msg: string) => logs.push(msg), error: () => undefined } as never;

describe('alert rebuild', () => {
  it('rebuilds at the first check, marks it, and leaves the jobs alone while Redis keeps them', async () => {
    const scheduler = fakeScheduler();
    const marker = fakeMarker();
    const alerts = createAlertRebuild({ scheduler, marker, logger, clock: () => 42 });
    await alerts.check();
    expect(scheduler.state.rebuilds).toBe(1);
    expect(marker.at).toBe(42);
    await alerts.check();
    await alerts.check();
    expect(scheduler.state.rebuilds).toBe(1);
  });

  it('rebuilds when Redis lost the jobs (the marker is gone)', async () => {
    const scheduler = fakeScheduler();
    const marker = fakeMarker();
    const alerts = createAlertRebuild({ scheduler, marker, logger, clock: () => 1 });
    await alerts.check();
    marker.at = null;
    await alerts.check();
    expect(scheduler.state.rebuilds).toBe(2);
    expect(marker.at).toBe(1);
  });

  it('schedules changed errands, and after a failed scheduling the next check rebuilds everything', async () => {
    const scheduler = fakeScheduler();
    const alerts = createAlertRebuild({ scheduler, marker: fakeMarker(), logger, clock: () => 1 });
    await alerts.check();
    alerts.changed(new Set([3, 4]));
    await Promise.resolve();
    expect(scheduler.state.scheduled).toEqual([[3, 4]]);
    scheduler.state.up = false;
    alerts.changed(new Set([5]));
    await new Promise((r) => setImmediate(r));
    // The check while Redis is away fails quietly, and asks again next time.
    await alerts.check();
    expect(scheduler.state.rebuilds).toBe(2);
    expect(logs).toContain('deadline alert rebuild failed; will try again');
    scheduler.state.up = true;
    await alerts.check();
    expect(scheduler.state.rebuilds).toBe(3);
    await alerts.check();
    expect(scheduler.state.rebuilds).toBe(3);
  });

  it('runs one rebuild at a time: callers during a rebuild share it, a check skips', async () => {
    const scheduler = fakeScheduler();
    let release = () => undefined as void;
    scheduler.state.hold = new Promise<void>((r) => (release = r));
    const alerts = createAlertRebuild({ scheduler, marker: fakeMarker(), logger, clock: () => 1 });
    const first = alerts.rebuild();
    const second = alerts.rebuild();
    await alerts.check();
    release();
    expect(await first).toBe(7);
    expect(await second).toBe(7);
    expect(scheduler.state.rebuilds).toBe(1);
  });

  it('a scheduling that fails during a rebuild still asks for another', async () => {
    const scheduler = fakeScheduler();
    const marker = fakeMarker();
    let release = () => undefined as void;
    scheduler.state.hold = new Promise<void>((r) => (release = r));
    const alerts = createAlertRebuild({ scheduler, marker, logger, clock: () => 1 });
    const running = alerts.rebuild();
    scheduler.state.up = false;
    alerts.changed(new Set([9]));
    await new Promise((r) => setImmediate(r));
    scheduler.state.up = true;
    release();
    await running;
    scheduler.state.hold = null;
    await alerts.check();
    expect(scheduler.state.rebuilds).toBe(2);
  });
});

describe('sweep timers', () => {
  function fakeTimers() {
    const live = new Map<number, { fn: () => void; ms: number }>();
    let next = 0;
    const timers: Timers = {
      setInterval: (fn, ms) => {
        live.set(++next, { fn, ms });
        return next;
      },
      clearInterval: (h) => void live.delete(h as number),
    };
    return { timers, live };
  }

  it('runs both chores at start, then the sweep every minute and the alert check every five seconds', () => {
    const { timers, live } = fakeTimers();
    const calls = { sweep: 0, check: 0 };
    const sweeps = startSweepTimers({
      everyMs: 60_000,
      sweep: async () => calls.sweep++,
      checkAlerts: async () => calls.check++,
      timers,
    });
    expect(calls).toEqual({ sweep: 1, check: 1 });
    expect([...live.values()].map((t) => t.ms).sort((a, b) => a - b)).toEqual([5_000, 60_000]);
    for (const t of live.values()) t.fn();
    expect(calls).toEqual({ sweep: 2, check: 2 });
    sweeps.stop();
    expect(live.size).toBe(0);
  });

  it('checks alerts no less often than it sweeps, and does nothing at all when switched off', () => {
    const off = fakeTimers();
    let ran = 0;
    startSweepTimers({ everyMs: 0, sweep: async () => ran++, checkAlerts: async () => ran++, timers: off.timers });
    expect(ran).toBe(0);
    expect(off.live.size).toBe(0);
    const quick = fakeTimers();
    startSweepTimers({ everyMs: 1_000, sweep: async () => 0, checkAlerts: async () => 0, timers: quick.timers });
    expect([...quick.live.values()].map((t) => t.ms)).toEqual([1_000, 1_000]);
  });
});
