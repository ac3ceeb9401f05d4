import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { NO_REDIS_FOR_SERVICE, resolveRedis } from '../../src/redis/local-redis.ts';

const dir = mkdtempSync(join(tmpdir(), 'daiban-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs src/main.ts in `cwd` (its .env is read from there) with only these variables. */
const mainArgs = ['--import', pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href, resolve('src/main.ts')];
const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME };

describe('starting with a bad configuration', () => {
  it('lists every problem at once and exits non-zero, before touching anything', () => {
    const env: NodeJS.ProcessEnv = { ...baseEnv, HTTP_PORT: 'eighty', SIMULATOR_ENABLED: 'perhaps', LOG_LEVEL: 'chatty' };
    const r = spawnSync(process.execPath, mainArgs, { env, cwd: dir, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(1);
    for (const key of ['ADMIN_TOKEN', 'HTTP_PORT', 'SIMULATOR_ENABLED', 'LOG_LEVEL']) expect(r.stderr, key).toContain(key);
    expect(r.stderr).toContain('4 problem(s)');
  });
});

describe('the .env file', () => {
  it('is read at start, and the process environment wins over it', () => {
    const cwd = mkdtempSync(join(dir, 'env-'));
    writeFileSync(join(cwd, '.env'), 'ADMIN_TOKEN=from-dot-env-0123456789\nHTTP_PORT=eighty\nLOG_LEVEL=chatty\n');
    // LOG_LEVEL from the environment is right: only HTTP_PORT (from the file) is wrong; ADMIN_TOKEN came from the file.
    const r = spawnSync(process.execPath, mainArgs, { env: { ...baseEnv, LOG_LEVEL: 'warn' }, cwd, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('1 problem(s)');
    expect(r.stderr).toContain('HTTP_PORT');
    expect(r.stderr).not.toContain('ADMIN_TOKEN');
  });
});

describe('Redis for a service', () => {
  it('is REDIS_URL or the local one, never a private server: without one it says what to do', async () => {
    await expect(
      resolveRedis(undefined, { info: () => undefined, warn: () => undefined }, { privateServer: false, localUrl: 'redis://127.0.0.1:1' }),
    ).rejects.toThrow(NO_REDIS_FOR_SERVICE);
    expect(NO_REDIS_FOR_SERVICE).toContain('npm run demo');
  });
});

describe('a server that can reach nobody', () => {
  it('warns at start that no channel is configured and the roster is empty', async () => {
    const cwd = mkdtempSync(join(dir, 'idle-'));
    const env = {
      ...baseEnv,
      ADMIN_TOKEN: 'idle-admin-token-0123456789',
      REDIS_URL: inject('redisUrl'),
      BULLMQ_PREFIX: `idle${process.pid}`,
      HTTP_PORT: '0',
      SQLITE_PATH: join(cwd, 'd.db'),
      CATALOG_PATH: resolve('data/catalog.yaml'),
      CALENDAR_DIR: resolve('data/calendar'),
      WECHAT_OA_MENU_FILE: resolve('data/wechat-menu.yaml'),
    };
    const child = spawn(process.execPath, mainArgs, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    try {
      await expect.poll(() => out, { timeout: 20_000, interval: 100 }).toContain('the roster is empty');
      expect(out).toContain('Daiban is listening');
      expect(out).toContain('no channel is configured');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 30_000);
});
