import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { inject } from 'vitest';
import { composeDaiban, type ComposeOptions, type Daiban } from '../../src/compose.ts';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { START } from './test-clock.ts';

/**
 * A whole Daiban for an integration test: a fresh SQLite file with the real migrations, the real
 * Redis with a prefix of its own, the demo roster loaded, and a clock the test moves.
 */

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

export { START } from './test-clock.ts';

export interface TestApp {
  daiban: Daiban;
  config: Config;
  clock: { now: number };
  dir: string;
  /** Sends a private (or room) message through the simulator API; returns the reply texts. */
  say(from: string, text: string, room?: string | null): Promise<string[]>;
  outbox(query: { to?: string; room?: string; after?: number }): Promise<{ id: number; to: string | null; room: string | null; text: string; at: string }[]>;
  /** Waits until the outbox for a target has at least n messages (notifications are delivered by the worker). */
  waitForOutbox(query: { to?: string; room?: string; after?: number }, n: number): Promise<{ id: number; text: string }[]>;
  /** Waits until the outbox worker has delivered every pending notification. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

export async function startTestApp(
  options: {
    env?: Record<string, string>;
    roster?: boolean;
    redisUrl?: string;
    worker?: boolean;
    bot?: boolean;
    wechatyPuppet?: ComposeOptions['wechatyPuppet'];
    logger?: ComposeOptions['logger'];
  } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'daiban-test-'));
  const prefix = `t${process.pid}x${++counter}x${Date.now().toString(36)}`;
  const loaded = loadConfig({
    ADMIN_TOKEN,
    SIMULATOR_ENABLED: 'true',
    SQLITE_PATH: join(dir, 'daiban.db'),
    BULLMQ_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const config = loaded.config;
  const clock = { now: START };
  const daiban = await composeDaiban({
    config,
    redisUrl: options.redisUrl ?? inject('redisUrl'),
    logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    clock: () => clock.now,
    worker: options.worker ?? true,
    bot: options.bot ?? false,
    ...(options.wechatyPuppet ? { wechatyPuppet: options.wechatyPuppet } : {}),
    sweepEveryMs: 500,
  });
  if (options.roster !== false) {
    const r = await daiban.server.inject({
      method: 'PUT',
      url: '/api/admin/roster',
      headers: auth,
      payload: JSON.parse(readFileSync('data/demo-roster.json', 'utf8')) as object,
    });
    if (r.statusCode !== 200) throw new Error(`roster load failed: ${r.body}`);
  }
  const outbox: TestApp['outbox'] = async (query) => {
    const params = new URLSearchParams(Object.entries(query).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, String(v)]])));
    const r = await daiban.server.inject({ method: 'GET', url: `/api/simulator/outbox?${params.toString()}`, headers: auth });
    if (r.statusCode !== 200) throw new Error(`outbox ${r.statusCode}: ${r.body}`);
    return r.json<{ messages: Awaited<ReturnType<TestApp['outbox']>> }>().messages;
  };
  return {
    daiban,
    config,
    clock,
    dir,
    async say(from, text, room = null) {
      clock.now += 60_000;
      const r = await daiban.server.inject({ method: 'POST', url: '/api/simulator/messages', headers: auth, payload: { from, room, text } });
      if (r.statusCode !== 200) throw new Error(`say ${r.statusCode}: ${r.body}`);
      return r.json<{ replies: { text: string }[] }>().replies.map((x) => x.text);
    },
    outbox,
    async waitForOutbox(query, n) {
      for (let i = 0; i < 200; i++) {
        const messages = await outbox(query);
        if (messages.length >= n) return messages;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`fewer than ${n} messages for ${JSON.stringify(query)} after 10 s`);
    },
    async settle() {
      const pending = daiban.database.sqlite.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE status = 'pending'");
      for (let i = 0; i < 200; i++) {
        if ((pending.get()?.n ?? 0) === 0) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('notifications still pending after 5 s');
    },
    async close() {
      await daiban.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
