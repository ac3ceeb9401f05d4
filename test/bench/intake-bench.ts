import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { resolveRedis } from '../../src/redis/local-redis.ts';
import { freePort, startServerProcess } from '../support/server-process.ts';

/**
 * `npm run bench`: full villager intake conversations through POST /api/simulator/messages
 * (HTTP → de-duplication → engine → one SQLite transaction → reply), 50 at once, against the real
 * server in its own process; then a bare fastify JSON route, also in its own process, under the
 * same load. Prints messages per second, median and p99 latency of each, and the ratio.
 *
 * BENCH_SECONDS (default 15) and BENCH_CONCURRENCY (default 50) tune it.
 */

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP_SECONDS = 3;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const TOKEN = 'bench-admin-token-0123456789';
const INTAKE = ['宅基地建房', '1', '1', '同意', '知道了', '1'];

interface Result {
  messages: number;
  seconds: number;
  latencies: number[];
  errors: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function drive(url: string, path: string, body: (vu: number, step: number) => string, headers: Record<string, string>, check: (status: number, text: string, step: number) => boolean): Promise<Result> {
  const pool = new Pool(url, { connections: CONCURRENCY, pipelining: 1 });
  const latencies: number[] = [];
  let messages = 0;
  let errors = 0;
  let measuring = false;
  let stop = false;
  const vu = async (id: number) => {
    for (let step = 0; !stop; step++) {
      const started = performance.now();
      const r = await pool.request({ method: 'POST', path, headers, body: body(id, step) });
      const text = await r.body.text();
      const ms = performance.now() - started;
      if (!check(r.statusCode, text, step)) errors++;
      if (measuring) {
        latencies.push(ms);
        messages++;
      }
    }
  };
  const running = Array.from({ length: CONCURRENCY }, (_, i) => vu(i));
  await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const seconds = (performance.now() - t0) / 1000;
  stop = true;
  await Promise.all(running);
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { messages, seconds, latencies, errors };
}

function report(name: string, r: Result) {
  const rate = r.messages / r.seconds;
  console.log(
    `${name.padEnd(34)} ${rate.toFixed(0).padStart(7)} msg/s   median ${percentile(r.latencies, 50).toFixed(2).padStart(6)} ms   p99 ${percentile(r.latencies, 99).toFixed(2).padStart(6)} ms   errors ${r.errors}`,
  );
  return rate;
}

const dir = mkdtempSync(join(tmpdir(), 'daiban-bench-'));
const redis = await resolveRedis(process.env.REDIS_URL || undefined, { info: (m) => console.log(m), warn: (m) => console.warn(m) });
const server = await startServerProcess({
  ADMIN_TOKEN: TOKEN,
  SIMULATOR_ENABLED: 'true',
  SQLITE_PATH: join(dir, 'bench.db'),
  REDIS_URL: redis.url,
  BULLMQ_PREFIX: `bench${process.pid}`,
  LOG_LEVEL: 'warn',
}, process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []);
const barePort = await freePort();
const bare = spawn(process.execPath, ['--import', 'tsx', 'test/bench/bare-server.ts'], { env: { ...process.env, PORT: String(barePort) }, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve) => bare.stdout?.on('data', (d: Buffer) => d.toString().includes('listening') && resolve()));

try {
  // One pre-registered resident per virtual user, so every conversation is an intake from the menu.
  const roster = JSON.parse(readFileSync('data/demo-roster.json', 'utf8')) as { people: object[] };
  for (let i = 0; i < CONCURRENCY; i++) {
    roster.people.push({ id: `bench-${i}`, name: `村民${i}`, phone: `1390001${String(1000 + i)}`, village: 'qs-lw', tags: [], roles: [], identities: [{ channel: 'simulator', id: `bench-${i}` }] });
  }
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const put = await fetch(`${server.url}/api/admin/roster`, { method: 'PUT', headers, body: JSON.stringify(roster) });
  if (put.status !== 200) throw new Error(`roster: ${put.status} ${await put.text()}`);

  console.log(`\nnpm run bench — ${CONCURRENCY} concurrent conversations, ${SECONDS} s each after ${WARMUP_SECONDS} s warm-up\n`);
  const intake = await drive(
    server.url,
    '/api/simulator/messages',
    (vu, step) => JSON.stringify({ from: `bench-${vu}`, room: null, text: INTAKE[step % INTAKE.length] }),
    headers,
    (status, text, step) => status === 200 && (step % INTAKE.length !== INTAKE.length - 1 || text.includes('回执号')),
  );
  const errands = Math.floor(intake.messages / INTAKE.length);
  const intakeRate = report('intake via /api/simulator/messages', intake);
  const baseline = await drive(
    `http://127.0.0.1:${barePort}`,
    '/echo',
    (vu, step) => JSON.stringify({ from: `bench-${vu}`, room: null, text: INTAKE[step % INTAKE.length] }),
    { 'content-type': 'application/json' },
    (status) => status === 200,
  );
  const bareRate = report('bare fastify JSON route', baseline);
  console.log(`\nratio: ${((intakeRate / bareRate) * 100).toFixed(1)} % of the bare route's throughput; about ${errands} errands filed during the run`);
  console.log('goals: ≥ 2,000 msg/s, p99 ≤ 50 ms, ≥ 5 % of the bare route');
  if (intake.errors) console.log(`WARNING: ${intake.errors} intake answers were not as expected`);
} finally {
  server.child.kill('SIGTERM');
  bare.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await redis.stop?.();
  rmSync(dir, { recursive: true, force: true });
}
