import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { composeDaiban, type Daiban } from '../../src/compose.ts';
import { loadConfig } from '../../src/config/config.ts';
import { DEADLINE_QUEUE } from '../../src/jobs/deadline-jobs.ts';
import { startPrivateRedis } from '../../src/redis/local-redis.ts';
import { until } from '../support/until.ts';
import { prefill } from './prefill.ts';

/**
 * The deadline alert figures of `npm run bench` (issue 4, "Speed and scale"), on a database of
 * BENCH_OPEN_ERRANDS (default 100,000) requested errands, each with a running claim clock, against a
 * private redis-server (started here, flushed freely, stopped at the end):
 *  4. scheduling their alert jobs from the database (`alerts.rebuild()` on an empty Redis), jobs/s;
 *  5. recovery after FLUSHALL: the time until the periodic check (the server's default: the alert
 *     marker every 5 s; BENCH_SWEEP_MS sets the sweep) has noticed the lost jobs and every one of them
 *     is back (goal ≤ 30 s);
 *  6. Redis memory per open errand (INFO used_memory with the jobs built, less an empty server's).
 * Daiban runs in this process without workers (they would fire and consume jobs). A recovery not
 * done within BENCH_RECOVERY_LIMIT seconds (default 120) is given up and printed ✗. Run alone with `npx tsx test/bench/alert-bench.ts`.
 */

const PREFIX = 'benchalerts';
const GOAL_SECONDS = 30;
const row = (name: string, figure: string, rest = '') => console.log(`${name.padEnd(40)} ${figure.padStart(14)}   ${rest}`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Events {
  rebuilds: number;
  problems: string[];
}

/** A pino logger that counts finished rebuilds and keeps warnings (printed when a figure fails). */
function captureLogger(events: Events) {
  return pino(
    { level: 'info' },
    {
      write(line: string) {
        const entry = JSON.parse(line) as { level: number; msg?: string; err?: { message?: string } };
        if (entry.msg === 'deadline alert jobs scheduled from the database') events.rebuilds++;
        // (The calendar's start-up warnings about next year's holiday data are not problems here.)
        if (entry.level >= 40 && !entry.msg?.startsWith('calendar:') && events.problems.length < 20)
          events.problems.push(`${entry.msg ?? ''} ${entry.err?.message ?? ''}`.trim());
      },
    },
  );
}

async function usedMemory(client: Redis): Promise<number> {
  const info = await client.info('memory');
  const m = /^used_memory:(\d+)/m.exec(info);
  if (!m?.[1]) throw new Error('INFO memory has no used_memory');
  return Number(m[1]);
}

export async function alertBench(options: {
  dir: string;
  openErrands: number;
  villages: number;
  sweepEveryMs: number;
  recoveryLimitMs: number;
}): Promise<void> {
  const { openErrands: expected, sweepEveryMs } = options;
  const sqlitePath = join(options.dir, 'alerts.db');
  const t0 = performance.now();
  const filled = prefill(sqlitePath, { villages: options.villages, total: 0, openPerVillage: 0, openWithClocks: expected, now: Date.now() });
  if (filled.runningClocks !== expected) throw new Error(`alert bench: prefill made ${filled.runningClocks} running clocks, not ${expected}`);
  console.log(
    `\nprefilled ${fmt(expected)} open errands with running claim clocks in ${options.villages} villages in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const redis = await startPrivateRedis({ info: () => undefined, warn: (m) => console.warn(m) });
  const client = new Redis(redis.url);
  const counter = new Queue(DEADLINE_QUEUE, { connection: { url: redis.url }, prefix: PREFIX });
  const daibans: Daiban[] = [];
  try {
    const emptyMemory = await usedMemory(client);
    const loaded = loadConfig({ ADMIN_TOKEN: 'bench-admin-token-0123456789', SQLITE_PATH: sqlitePath, BULLMQ_PREFIX: PREFIX, LOG_LEVEL: 'info' });
    if (!loaded.ok) throw new Error(loaded.problems.join('; '));
    const compose = async (everyMs: number, events: Events) => {
      const d = await composeDaiban({ config: loaded.config, redisUrl: redis.url, logger: captureLogger(events), worker: false, sweepEveryMs: everyMs });
      daibans.push(d);
      return d;
    };
    const counts = () => counter.getJobCounts('delayed', 'wait', 'prioritized', 'active', 'completed', 'failed');
    /** Every expected job is delayed (their first steps are days ahead) and nothing else is there. */
    const complete = async () => {
      const c = await counts();
      return c.delayed === expected && Object.values(c).reduce((a, b) => a + b, 0) === expected;
    };
    const check = async (what: string, events: Events) => {
      if (await complete()) return;
      throw new Error(
        `alert bench: ${what}: expected ${expected} delayed jobs, Redis holds ${JSON.stringify(await counts())}${events.problems.length ? `; logged: ${events.problems.join(' | ')}` : ''}`,
      );
    };
    const timeout = Math.max(120_000, expected * 5);

    // 4. The scheduling figure: the start-up rebuild is let finish (its sweep timer is an hour, so
    // nothing else rebuilds), Redis is emptied, and one rebuild() schedules every job again.
    const first: Events = { rebuilds: 0, problems: [] };
    const t1 = performance.now();
    const daiban = await compose(3_600_000, first);
    await until(async () => first.rebuilds > 0, 'the start-up rebuild', timeout, 100);
    const startup = (performance.now() - t1) / 1000;
    await check('after the start-up rebuild', first);
    await client.flushall();
    const t2 = performance.now();
    const scheduled = await daiban.alerts.rebuild();
    const rebuildSeconds = (performance.now() - t2) / 1000;
    if (scheduled !== expected) throw new Error(`alert bench: rebuild() scheduled ${scheduled} jobs, expected ${expected}`);
    await check('after rebuild()', first);
    const fullMemory = await usedMemory(client);
    row(
      `4. scheduling alerts, ${fmt(expected)} open errands`,
      `${fmt(expected / rebuildSeconds)} jobs/s`,
      `${rebuildSeconds.toFixed(1)} s for rebuild(), ${fmt(expected)} delayed jobs ✓ (start-up with composeDaiban ${startup.toFixed(1)} s)`,
    );
    await daiban.close();
    daibans.pop();

    // 5. Recovery: a Daiban with the server's sweep timers, its jobs built; FLUSHALL; every job back.
    // Given up (✗) after recoveryLimitMs.
    const second: Events = { rebuilds: 0, problems: [] };
    const recovering = await compose(sweepEveryMs, second);
    await until(async () => second.rebuilds > 0, 'the second start-up rebuild', timeout, 100);
    await check('before FLUSHALL', second);
    const before = second.rebuilds;
    await client.flushall();
    const t3 = performance.now();
    // Given up on after recoveryLimitMs: that is a result (✗), not a failure of the bench.
    const back = await until(complete, 'every alert job back', options.recoveryLimitMs, 50).then(
      () => true,
      () => false,
    );
    const recovery = (performance.now() - t3) / 1000;
    const sweepNote = `marker checked every ${(Math.min(sweepEveryMs, 5000) / 1000).toFixed(1)} s`;
    if (back) {
      // Let the rebuilds the sweep started finish before closing (and count them).
      await until(async () => (await client.exists(`${PREFIX}:daiban:alerts-built`)) === 1, 'the alerts-built marker', timeout, 100);
      let settled = -1;
      // Quiet for one look (or recoveryLimitMs gone): close it either way.
      await until(
        async () => {
          const quiet = second.rebuilds === settled;
          settled = second.rebuilds;
          return quiet;
        },
        'the rebuilds to stop',
        options.recoveryLimitMs,
        Math.max(2000, Math.min(sweepEveryMs * 2 + 500, 5000)),
      ).catch(() => undefined);
      await check('after recovery', second);
      row(
        '5. recovery after FLUSHALL',
        `${recovery.toFixed(1)} s`,
        `goal ≤ ${GOAL_SECONDS} s ${recovery <= GOAL_SECONDS ? '✓' : '✗'}  (${sweepNote}; ${second.rebuilds - before} rebuild(s) ran)`,
      );
    } else {
      const c = await counts();
      row(
        '5. recovery after FLUSHALL',
        `> ${recovery.toFixed(0)} s`,
        `goal ≤ ${GOAL_SECONDS} s ✗  given up: ${fmt(c.delayed ?? 0)} of ${fmt(expected)} jobs back (${sweepNote}; ${second.rebuilds - before} rebuild(s) finished)`,
      );
      const problem = second.problems.find((p) => /alert|deadline/.test(p));
      if (problem) console.log(`    e.g. ${problem}`);
    }
    await recovering.close();
    daibans.pop();

    // 6. Memory: the jobs as rebuild() left them (4.), less the empty server's.
    const perErrand = (fullMemory - emptyMemory) / expected;
    row(
      '6. Redis memory per open errand',
      `${fmt(perErrand)} bytes`,
      `${((fullMemory - emptyMemory) / 1024 / 1024).toFixed(1)} MB for ${fmt(expected)} (used_memory ${(emptyMemory / 1024 / 1024).toFixed(1)} → ${(fullMemory / 1024 / 1024).toFixed(1)} MB)`,
    );
  } finally {
    for (const d of daibans) await d.close().catch(() => undefined);
    await counter.close();
    client.disconnect();
    await redis.stop?.();
  }
}

/** The sizes from the environment: BENCH_OPEN_ERRANDS, BENCH_SWEEP_MS, BENCH_RECOVERY_LIMIT (seconds). */
export function alertBenchOptions(dir: string, villages: number): Parameters<typeof alertBench>[0] {
  return {
    dir,
    openErrands: Number(process.env.BENCH_OPEN_ERRANDS ?? 100_000),
    villages,
    // The server's own default: outbox sweep every minute, the alert marker checked every 5 s.
    sweepEveryMs: Number(process.env.BENCH_SWEEP_MS ?? 60_000),
    recoveryLimitMs: Number(process.env.BENCH_RECOVERY_LIMIT ?? 120) * 1000,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = mkdtempSync(join(tmpdir(), 'daiban-alert-bench-'));
  try {
    await alertBench(alertBenchOptions(dir, Number(process.env.BENCH_CONCURRENCY ?? 50)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
