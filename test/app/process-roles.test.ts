import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startServerProcess, startWorkerProcess, type ServerProcess } from '../support/server-process.ts';
import { ADMIN_TOKEN, auth } from '../support/test-app.ts';

/**
 * ROLE=web and ROLE=worker run apart against one Redis and one SQLite file: the web process answers
 * residents at once and leaves notifications to the workers; a worker started later delivers them.
 */

const dir = mkdtempSync(join(tmpdir(), 'daiban-roles-'));
const env = {
  ADMIN_TOKEN,
  SIMULATOR_ENABLED: 'true',
  SQLITE_PATH: join(dir, 'daiban.db'),
  BULLMQ_PREFIX: `roles${process.pid}x${Date.now().toString(36)}`,
  REDIS_URL: inject('redisUrl'),
  LOG_LEVEL: 'info',
};
const processes: ServerProcess[] = [];
afterAll(() => {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('web and worker processes', () => {
  it('answers in the web process and delivers notifications only where a worker runs', async () => {
    const web = await startServerProcess({ ...env, ROLE: 'web' });
    processes.push(web);
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${web.url}${path}`, {
        method,
        headers: { ...auth, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await call('PUT', '/api/admin/roster', JSON.parse(readFileSync('data/demo-roster.json', 'utf8')))).status).toBe(200);

    let last: string[] = [];
    for (const text of ['宅基地建房', '1', '1', '同意', '知道了', '1']) {
      const r = await call('POST', '/api/simulator/messages', { from: 'liu-fang', text });
      expect(r.status).toBe(200);
      last = ((await r.json()) as { replies: { text: string }[] }).replies.map((x) => x.text);
    }
    expect(last.join('\n')).toMatch(/DB\d{9,}/);
    const roomOutbox = async () =>
      ((await (await call('GET', '/api/simulator/outbox?room=lw-agents%40chatroom')).json()) as { messages: { text: string }[] }).messages;
    // No worker yet: the agents' room notice waits in the outbox.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await roomOutbox()).toEqual([]);

    processes.push(await startWorkerProcess({ ...env }));
    let delivered: { text: string }[] = [];
    for (let i = 0; i < 100 && delivered.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      delivered = await roomOutbox();
    }
    expect(delivered.length).toBeGreaterThan(0);
    expect(web.output()).not.toContain('Daiban worker is running');
  }, 60_000);
});

describe('the bot process', () => {
  it('runs the Wechaty session and the wechaty outbox worker only in the bot role; a worker leaves that queue to it', async () => {
    const wechatyEnv = { ...env, SQLITE_PATH: join(dir, 'bot.db'), BULLMQ_PREFIX: `${env.BULLMQ_PREFIX}bot`, WECHATY_PUPPET: 'wechaty-puppet-mock' };
    const queue = new Queue('outbox-wechaty', { connection: { url: inject('redisUrl') }, prefix: wechatyEnv.BULLMQ_PREFIX });
    try {
      const worker = await startWorkerProcess(wechatyEnv);
      processes.push(worker);
      expect(worker.output()).not.toContain('wechaty: session started');
      expect(await queue.getWorkersCount()).toBe(0);

      const bot = await startWorkerProcess(wechatyEnv, 'bot');
      processes.push(bot);
      expect(bot.output()).toContain('wechaty: session started');
      expect(bot.output()).toMatch(/"channels":\["outbox-wechaty"\][^\n]*outbox workers started/);
      expect(bot.output()).not.toContain('Daiban is listening');
      await expect.poll(() => queue.getWorkersCount(), { timeout: 5000 }).toBe(1);
    } finally {
      await queue.close();
    }
  }, 60_000);
});
