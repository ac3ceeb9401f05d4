import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../src/redis/local-redis.ts';

/**
 * `npm start` as a county runs it: it builds dist/ when the sources are newer, then runs plain
 * `node dist/main.js` in the foreground (exec), so a SIGTERM sent to npm reaches the server, which
 * stops taking messages, finishes what it holds, closes SQLite and exits 0 — leaving nothing listening.
 */

const dir = mkdtempSync(join(tmpdir(), 'daiban-npm-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('npm start', () => {
  it('runs the built server in the foreground; SIGTERM stops it cleanly and frees the port', async () => {
    const port = await freePort();
    const token = 'npm-start-admin-token-0123456789';
    const db = join(dir, 'daiban.db');
    const env = {
      ...process.env,
      ADMIN_TOKEN: token,
      SIMULATOR_ENABLED: 'true',
      SQLITE_PATH: db,
      HTTP_PORT: String(port),
      REDIS_URL: inject('redisUrl'),
      BULLMQ_PREFIX: `npmstart${process.pid}`,
      LOG_LEVEL: 'info',
    };
    const child = spawn('npm', ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => out, { timeout: 220_000, interval: 200 }).toContain('Daiban is listening');
      // Plain node on the build: no TypeScript runner in the process.
      expect(out).not.toContain('tsx');
      const said = await fetch(`http://127.0.0.1:${port}/api/simulator/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from: 'npm-start-villager', room: null, text: '你好' }),
      });
      expect(said.status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toContain('shutting down');
      expect(await listening(port)).toBe(false);
      // SQLite was closed: its write-ahead log was folded in and removed; the message is there.
      expect(existsSync(`${db}-wal`)).toBe(false);
      const stored = new BetterSqlite3(db, { readonly: true });
      try {
        expect(
          (
            stored.prepare("SELECT count(*) AS n FROM channel_identities WHERE channel = 'simulator' AND external_id = 'npm-start-villager'").get() as {
              n: number;
            }
          ).n,
        ).toBe(1);
      } finally {
        stored.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 260_000);
});
