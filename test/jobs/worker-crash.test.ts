import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';
import { insertOutbox } from '../../src/db/outbox-repository.ts';
import { simulatorDeliveries } from '../../src/db/simulator-repository.ts';
import { outboxQueueName } from '../../src/jobs/outbox-queues.ts';
import { exited, startWorkerProcess, type ServerProcess } from '../support/server-process.ts';
import { ADMIN_TOKEN } from '../support/test-app.ts';
import { until } from '../support/until.ts';

/**
 * Worker processes (ROLE=worker) against one Redis and one SQLite file, killed with SIGKILL in the
 * middle of their jobs: every message reaches the simulator's far end exactly once, in order per
 * person, and a SIGTERM lets running jobs finish and frees them at once.
 */

const dir = mkdtempSync(join(tmpdir(), 'daiban-crash-'));
const sqlitePath = join(dir, 'daiban.db');
const env = { ADMIN_TOKEN, SQLITE_PATH: sqlitePath, REDIS_URL: inject('redisUrl'), JOB_LOCK_SECONDS: '2', LOG_LEVEL: 'info', OUTBOX_PERSON_PER_MINUTE: '600' };
const database = openDatabase(sqlitePath);
const running: ServerProcess[] = [];
const queues: Queue[] = [];
/** Each test has a BullMQ prefix of its own. */
function queueFor(prefix: string): Queue {
  const queue = new Queue(outboxQueueName('simulator'), { connection: { url: inject('redisUrl') }, prefix });
  queues.push(queue);
  return queue;
}

afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  for (const queue of queues) {
    await queue.obliterate({ force: true });
    await queue.close();
  }
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

const people = Array.from({ length: 12 }, (_, i) => `person-${i}`);
function write(count: number, tag: string): number[] {
  const messages = Array.from({ length: count }, (_, i) => ({
    channel: 'simulator',
    recipient: people[i % people.length] ?? '',
    room: null,
    text: `${tag}-${i}`,
    kind: 'notification' as const,
  }));
  return database.write(() => insertOutbox(database, messages, Date.now()));
}
const sentCount = (ids: number[]) =>
  (
    database.sqlite.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'sent' AND id IN (SELECT value FROM json_each(?))").get(JSON.stringify(ids)) as {
      n: number;
    }
  ).n;

async function worker(prefix: string, extra: Record<string, string> = {}): Promise<ServerProcess> {
  const p = await startWorkerProcess({ ...env, BULLMQ_PREFIX: prefix, ...extra });
  running.push(p);
  return p;
}

describe('killing workers', () => {
  it('loses nothing and sends nothing twice when workers die mid-job, with several workers at once', async () => {
    const prefix = `crash${process.pid}k${Date.now().toString(36)}`;
    const queue = queueFor(prefix);
    const ids = write(1500, 'kill');
    let killedMidJob = 0;
    // Two workers in turn are killed once part of the messages went out; then two run together.
    for (const share of [0.2, 0.5]) {
      const victim = await worker(prefix);
      await until(() => sentCount(ids) >= ids.length * share, `${share * 100}% sent`, 30_000, 5);
      victim.child.kill('SIGKILL');
      await exited(victim.child);
      if ((await queue.getActiveCount()) > 0) killedMidJob++;
    }
    await Promise.all([worker(prefix), worker(prefix)]);
    await until(() => sentCount(ids) === ids.length, 'every message sent', 60_000, 5).catch(async (error: unknown) => {
      // Say what is stuck: the unsent messages' job states, and what the workers said about long waits.
      const left = ids.filter((id) => (database.sqlite.prepare('SELECT status FROM outbox WHERE id = ?').get(id) as { status: string }).status !== 'sent');
      const states = await Promise.all(left.slice(0, 5).map(async (id) => `${id}:${(await queue.getJobState(`outbox-${id}`)) ?? 'none'}`));
      const waits = running.flatMap((p) =>
        p
          .output()
          .split('\n')
          .filter((l) => l.includes('keeps waiting'))
          .slice(-2),
      );
      throw new Error(`${String(error)}: ${left.length} unsent (${states.join(' ')}); jobs ${JSON.stringify(await queue.getJobCounts())}\n${waits.join('\n')}`);
    });

    expect(killedMidJob).toBeGreaterThan(0);
    const delivered = simulatorDeliveries(database).filter((d) => ids.includes(d.outboxId));
    // Each message reached the far end once (a repeat after a kill is dropped by its key).
    expect(delivered.map((d) => d.outboxId)).toEqual(ids);
    // And each person's messages were sent in the order they were written.
    for (const person of people) {
      const rows = database.sqlite.prepare('SELECT id FROM outbox WHERE recipient = ? AND text LIKE ? ORDER BY sent_seq').all(person, 'kill-%') as {
        id: number;
      }[];
      const order = rows.map((r) => r.id);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  }, 180_000);

  it('on SIGTERM finishes the running jobs and leaves none locked', async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    const prefix = `crash${process.pid}t${Date.now().toString(36)}`;
    const queue = queueFor(prefix);
    const ids = write(1500, 'term');
    const p = await worker(prefix, { JOB_LOCK_SECONDS: '120' });
    await until(() => sentCount(ids) >= ids.length * 0.2, '20% sent', 30_000, 5);
    p.child.kill('SIGTERM');
    expect(await exited(p.child)).toBe(0);
    // Nothing is left active: with a two-minute lock, a job left running would hold up the rest.
    expect(await queue.getActiveCount()).toBe(0);
    await worker(prefix);
    await until(() => sentCount(ids) === ids.length, 'every message sent', 30_000, 5);
    expect(simulatorDeliveries(database).filter((d) => ids.includes(d.outboxId))).toHaveLength(ids.length);
  }, 120_000);
});
