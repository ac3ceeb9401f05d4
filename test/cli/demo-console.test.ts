import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/redis/local-redis.ts';

/**
 * `npm run demo` played from a script against a Redis whose eviction policy makes BullMQ print a warning
 * by itself (console.warn): the warning goes to the demo's log file, never between the chat lines.
 */

const dir = mkdtempSync(join(tmpdir(), 'daiban-demo-console-'));
const demoArgs = ['--import', pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href, resolve('src/cli/demo.ts')];
let redis: ChildProcess | null = null;
let redisPort = 0;

beforeAll(async () => {
  redisPort = await freePort();
  redis = spawn('redis-server', ['--port', String(redisPort), '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
});

afterAll(async () => {
  if (redis) {
    redis.kill('SIGTERM');
    await new Promise((r) => redis?.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
});

function playDemo(script: string, logFile: string): Promise<{ out: string; status: number | null }> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    SQLITE_PATH: join(dir, 'demo.db'),
    DEMO_LOG: logFile,
    BULLMQ_PREFIX: `democonsole${process.pid}`,
    LOG_LEVEL: 'info',
  };
  const child = spawn(process.execPath, demoArgs, { env, cwd: resolve('.'), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stdin.end(script);
  return new Promise((done) => child.once('exit', (status) => done({ out, status })));
}

describe('the demo chat console', () => {
  it('keeps what libraries print by themselves out of the conversation, in the log file it names', async () => {
    const logFile = join(dir, 'demo.log');
    const { out, status } = await playDemo('/as zhang-xiuhua\n你好\n/expect 请问要办什么事\n/quit\n', logFile);
    expect(status).toBe(0);
    expect(out).toContain('zhang-xiuhua> 你好');
    expect(out).toContain(`The server's log: ${logFile}`);
    expect(out).not.toContain('Eviction policy');
    expect(out).not.toMatch(/"level":\d+/);
    expect(readFileSync(logFile, 'utf8')).toContain('Eviction policy is allkeys-lru');
  }, 60_000);
});
