import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { resolveRedis } from '../../src/redis/local-redis.ts';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { alertBench, alertBenchOptions } from './alert-bench.ts';
import { drive, report } from './load-driver.ts';
import { OA_BENCH_ENV, oaBench, oaBenchRoster, rosterWith } from './oa-bench.ts';
import { prefill } from './prefill.ts';

/**
 * `npm run bench`, each measured against the real server in its own process, next to a bare fastify
 * JSON route (also its own process) under the same load:
 *  1. full villager intake conversations through POST /api/simulator/messages, 50 at once;
 *  2. agents' commands (接单, 收件, 递交) on a database pre-filled with 100,000 errands;
 *  3. 待办 and 逾期 on that database;
 *  7–8. the intake conversations as signed Official Account pushes, plain and safe mode (BENCH_SKIP_OA=1 leaves them out);
 *  4–6. deadline alert jobs for BENCH_OPEN_ERRANDS open errands: scheduling, recovery after FLUSHALL,
 *     Redis memory (alert-bench.ts, on a private redis-server; BENCH_SKIP_ALERTS=1 leaves them out;
 *     BENCH_SKIP_COMMANDS=1 leaves out 2–3).
 * BENCH_SECONDS (default 15), BENCH_CONCURRENCY (default 50), BENCH_ERRANDS (default 100000),
 * BENCH_OPEN_ERRANDS (default 100000), BENCH_SWEEP_MS (default 60000, the server's), BENCH_RECOVERY_LIMIT (s, default 120).
 */

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP = 3;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const ERRANDS = Number(process.env.BENCH_ERRANDS ?? 100_000);
const TOKEN = 'bench-admin-token-0123456789';
const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const INTAKE = ['宅基地建房', '1', '1', '同意', '知道了', '1'];
const PROFILE = process.env.BENCH_PROFILE;

const dir = mkdtempSync(join(tmpdir(), 'daiban-bench-'));
const redis = await resolveRedis(process.env.REDIS_URL || undefined, { info: (m) => console.log(m), warn: (m) => console.warn(m) }, { privateServer: true });
const processes: ChildProcess[] = [];

/** Stops a server and waits for it to exit (its CPU profile, when asked for, is written then). */
async function stop(s: ServerProcess): Promise<void> {
  if (s.child.exitCode !== null) return;
  const exited = new Promise((resolve) => s.child.once('exit', resolve));
  s.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

async function server(name: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const s = await startServerProcess(
    {
      ADMIN_TOKEN: TOKEN,
      SIMULATOR_ENABLED: 'true',
      SQLITE_PATH: join(dir, `${name}.db`),
      REDIS_URL: redis.url,
      BULLMQ_PREFIX: `bench${process.pid}${name}`,
      LOG_LEVEL: 'warn',
      ...env,
    },
    PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [],
  );
  processes.push(s.child);
  return s;
}

async function putRoster(s: ServerProcess, people: object[]): Promise<void> {
  const put = await fetch(`${s.url}/api/admin/roster`, { method: 'PUT', headers: HEADERS, body: JSON.stringify(rosterWith(people)) });
  if (put.status !== 200) throw new Error(`roster: ${put.status} ${await put.text()}`);
}

try {
  const barePort = await freePort();
  const bare = spawn(process.execPath, ['--import', 'tsx', 'test/bench/bare-server.ts'], {
    env: { ...process.env, PORT: String(barePort) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  processes.push(bare);
  await new Promise<void>((resolve) => bare.stdout?.on('data', (d: Buffer) => d.toString().includes('listening') && resolve()));

  console.log(`\nnpm run bench — ${CONCURRENCY} concurrent users, ${SECONDS} s each after ${WARMUP} s warm-up\n`);
  const baseline = await drive({
    url: `http://127.0.0.1:${barePort}`,
    path: '/echo',
    headers: { 'content-type': 'application/json' },
    concurrency: CONCURRENCY,
    warmupSeconds: WARMUP,
    seconds: SECONDS,
    body: (vu, step) => JSON.stringify({ from: `bench-${vu}`, room: null, text: INTAKE[step % INTAKE.length] }),
    check: (status) => status === 200,
  });
  const bareRate = report('baseline: bare fastify JSON route', baseline);
  const ratio = (rate: number) => `${((rate / bareRate) * 100).toFixed(1)} % of the bare route`;

  // 1. Villager intake.
  const intakeServer = await server('intake');
  await putRoster(
    intakeServer,
    Array.from({ length: CONCURRENCY }, (_, i) => ({
      id: `bench-${i}`,
      name: `村民${i}`,
      phone: `1390001${String(1000 + i)}`,
      village: 'qs-lw',
      identities: [{ channel: 'simulator', id: `bench-${i}` }],
    })),
  );
  const intake = await drive({
    url: intakeServer.url,
    path: '/api/simulator/messages',
    headers: HEADERS,
    concurrency: CONCURRENCY,
    warmupSeconds: WARMUP,
    seconds: SECONDS,
    body: (vu, step) => JSON.stringify({ from: `bench-${vu}`, room: null, text: INTAKE[step % INTAKE.length] }),
    check: (status, text, _vu, step) => status === 200 && (step % INTAKE.length !== INTAKE.length - 1 || text.includes('回执号')),
  });
  const intakeRate = report('1. intake messages', intake);
  console.log(`   ${ratio(intakeRate)}; about ${Math.floor(intake.requests / INTAKE.length)} errands filed`);
  await stop(intakeServer);

  // 7–8. The same conversations through the Official Account webhook, plain and safe mode.
  if (!process.env.BENCH_SKIP_OA) {
    const oaServer = await server('oa', OA_BENCH_ENV);
    await putRoster(oaServer, oaBenchRoster(CONCURRENCY));
    console.log('');
    await oaBench({
      server: oaServer,
      bareUrl: `http://127.0.0.1:${barePort}`,
      dir,
      redisUrl: redis.url,
      concurrency: CONCURRENCY,
      warmup: WARMUP,
      seconds: SECONDS,
      intake: INTAKE,
    });
    await stop(oaServer);
  }

  if (!process.env.BENCH_SKIP_COMMANDS) {
    // 2–3. Agents' commands on a full database.
    const t0 = performance.now();
    const filled = prefill(join(dir, 'commands.db'), { villages: CONCURRENCY, total: ERRANDS, openPerVillage: 400, now: Date.now() });
    console.log(`\nprefilled ${filled.total.toLocaleString()} errands in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const commandServer = await server('commands');
    // At start the server schedules the alert jobs of every running clock from the database; measure
    // that, and the commands once it is done (the steady state).
    const t1 = performance.now();
    const marker = new Redis(redis.url);
    while (!(await marker.exists(`bench${process.pid}commands:daiban:alerts-built`)) && performance.now() - t1 < 120_000)
      await new Promise((r) => setTimeout(r, 50));
    marker.disconnect();
    console.log(
      `alert jobs of ${filled.runningClocks.toLocaleString()} running clocks scheduled at start-up in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
    );
    const COMMANDS = ['接单', '收件', '递交'];
    // Each agent works through its own village's errands, claim → accept → submit; a later run starts
    // on the next errand (the last one of a run may be left half done).
    const cursor = filled.agents.map(() => -1);
    for (const agentsAtOnce of [CONCURRENCY, Math.max(1, Math.round(CONCURRENCY / 5))]) {
      const commands = await drive({
        url: commandServer.url,
        path: '/api/simulator/messages',
        headers: HEADERS,
        concurrency: agentsAtOnce,
        warmupSeconds: WARMUP,
        seconds: SECONDS,
        body: (vu, step) => {
          if (step % COMMANDS.length === 0) cursor[vu] = (cursor[vu] ?? -1) + 1;
          const receipt = filled.claimable[vu]?.[cursor[vu] ?? 0];
          return receipt
            ? JSON.stringify({ from: filled.agents[vu], room: filled.rooms[vu], text: `${COMMANDS[step % COMMANDS.length] ?? ''} ${receipt}` })
            : null;
        },
        check: (status, text) => status === 200 && /接单。|已收件|已递交/.test(text),
      });
      const commandRate = report(`2. agent commands, ${agentsAtOnce} agents at once`, commands);
      console.log(`   ${ratio(commandRate)}`);
    }
    // The time to answer one agent (one at a time), then the load of all agents asking at once.
    for (const concurrency of process.env.BENCH_SKIP_LISTS ? [] : [1, CONCURRENCY]) {
      const lists = await drive({
        url: commandServer.url,
        path: '/api/simulator/messages',
        headers: HEADERS,
        concurrency,
        warmupSeconds: WARMUP,
        seconds: SECONDS,
        body: (vu, step) =>
          JSON.stringify({
            from: filled.agents[(vu + step) % filled.agents.length],
            room: filled.rooms[(vu + step) % filled.rooms.length],
            text: step % 2 ? '逾期' : '待办',
          }),
        check: (status, text) => status === 200 && /待办|逾期/.test(text),
      });
      report(`3. 待办 / 逾期, ${concurrency === 1 ? 'one agent at a time' : `${concurrency} agents at once`}`, lists);
    }
    await stop(commandServer);
  }
  if (!process.env.BENCH_SKIP_ALERTS) await alertBench(alertBenchOptions(dir, CONCURRENCY));
  console.log(
    '\ngoals: intake ≥ 2,000 msg/s, p99 ≤ 50 ms, ≥ 5 % of the bare route; commands ≥ 1,000/s, p99 ≤ 50 ms; 待办/逾期 p99 ≤ 20 ms; alert recovery ≤ 30 s',
  );
} finally {
  for (const p of processes) p.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 700));
  await redis.stop?.();
  rmSync(dir, { recursive: true, force: true });
}
