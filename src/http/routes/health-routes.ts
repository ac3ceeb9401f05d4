import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/open-database.ts';
import { outboxBacklog } from '../../db/outbox-repository.ts';
import { carriesAdminToken } from '../admin-auth.ts';

/**
 * GET /healthz: anyone gets the status alone; with the admin token (Bearer) the parts, queues and
 * outbox too (they tell an outsider too much: error texts, volumes). 200 "ok" when every part answers; 200 "degraded" when only a part the bot can live
 * without is down (Redis: messages are still taken and answered, notifications wait in the outbox),
 * so a load balancer keeps sending traffic; 503 "unavailable" when the database is down. With each
 * part's state; and
 * what is waiting: each queue's job counts (or why they could not be read — Redis down answers
 * within the timeout, never hangs) and the outbox's pending messages and dead letters (SQLite).
 */
export interface HealthCheck {
  name: string;
  /** False: the bot keeps working without this part (the answer is "degraded", not 503). Default true. */
  essential?: boolean;
  check(): Promise<void>;
}

/** The job states worth watching: a growing backlog, stuck work, retries, give-ups. */
const COUNTED = ['waiting', 'active', 'delayed', 'failed'] as const;
/** Each part (a check, a queue's counts) answers within this or is reported down: /healthz never hangs. */
const PART_TIMEOUT_MS = 1000;

type Reading<T> = ({ ok: true } & T) | { ok: false; error: string };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function countJobs(queue: Queue): Promise<Reading<Record<(typeof COUNTED)[number], number>>> {
  try {
    const counts = await withTimeout(queue.getJobCounts(...COUNTED), PART_TIMEOUT_MS);
    return { ok: true, waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0 };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
}

function readBacklog(database: Database): Reading<{ pending: number; dead: number }> {
  try {
    return { ok: true, ...outboxBacklog(database) };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
}

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { checks: readonly HealthCheck[]; queues: readonly Queue[]; database: Database; adminToken: string },
): void {
  app.get('/healthz', async (request, reply) => {
    // The queue counts are read only for an admin: a load balancer polling the status costs no Redis calls for them.
    const admin = carriesAdminToken(request.headers.authorization, deps.adminToken, { basic: false });
    const [results, counts] = await Promise.all([
      Promise.all(
        deps.checks.map(async (c) => {
          try {
            await withTimeout(c.check(), PART_TIMEOUT_MS);
            return [c.name, { ok: true }, c.essential !== false] as const;
          } catch (error) {
            return [c.name, { ok: false, error: messageOf(error) }, c.essential !== false] as const;
          }
        }),
      ),
      admin ? Promise.all(deps.queues.map(async (q) => [q.name, await countJobs(q)] as const)) : [],
    ]);
    const down = results.filter(([, r]) => !r.ok);
    const status = down.length === 0 ? 'ok' : down.some(([, , essential]) => essential) ? 'unavailable' : 'degraded';
    const report: Record<string, { ok: boolean; error?: string }> = {};
    for (const [name, r] of results) report[name] = r;
    reply.status(status === 'unavailable' ? 503 : 200).header('cache-control', 'no-store');
    if (!admin) return reply.send({ status });
    return reply.send({
      status,
      checks: report,
      queues: Object.fromEntries(counts),
      outbox: readBacklog(deps.database),
    });
  });
}
