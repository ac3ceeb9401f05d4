import { Queue, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import { runMorningDigest, type DigestEnv } from '../app/morning-digest.ts';
import { computeMonthlyReport, previousMonth, type ReportEnv } from '../app/monthly-report.ts';
import type { Logger } from '../app/ports.ts';

/**
 * Morning digests and monthly reports as BullMQ job schedulers (cron, Asia/Shanghai). A job carries
 * only what to do; the use cases read everything from the database, and their outbox keys per day
 * and audience make a second run of a day (two workers, a retry after a crash) send nothing more.
 * Schedulers are upserted at start and checked every minute afterwards, so that a Redis that was
 * away at start-up or lost its keys gets them back.
 */

export const DIGEST_QUEUE = 'digests';
export const MORNING_SCHEDULER = 'digest-morning';
export const MONTHLY_SCHEDULER = 'report-monthly';
/** 01:30 on the 1st of each month: the previous month's figures. */
export const MONTHLY_PATTERN = '30 1 1 * *';
const TZ = 'Asia/Shanghai';

export type DigestJobData = { kind: 'morning' } | { kind: 'monthly' } | { kind: 'backup' };
export const BACKUP_SCHEDULER = 'backup-daily';
export type DigestJobResult = { kind: 'not_a_workday' | 'sent'; date: string; messages: number } | { kind: 'computed'; month: string; units: number };

export interface DigestJobs {
  queue: Queue<DigestJobData>;
  worker: Worker<DigestJobData> | null;
  /** Upserts both schedulers (rejects when Redis is away; a check every minute tries again). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** "08:30" → the cron pattern "30 8 * * *". */
export const morningPattern = (minuteOfDay: number) => `${minuteOfDay % 60} ${Math.floor(minuteOfDay / 60)} * * *`;

/** What one job does, given the use cases' environment (exported for the worker and for tests). */
export function runDigestJob(env: DigestEnv & ReportEnv, data: unknown, now: number): { result: DigestJobResult; outboxIds: number[] } {
  const kind = (data as Partial<DigestJobData> | null)?.kind;
  if (kind === 'morning') {
    const outcome = runMorningDigest(env, now);
    const outboxIds = outcome.kind === 'sent' ? outcome.outboxIds : [];
    return { result: { kind: outcome.kind, date: outcome.date, messages: outboxIds.length }, outboxIds };
  }
  if (kind === 'monthly') {
    const month = previousMonth(now);
    return { result: { kind: 'computed', month, units: computeMonthlyReport(env, month, now).length }, outboxIds: [] };
  }
  throw new UnrecoverableError(`digest job has an unknown payload: ${JSON.stringify(data)?.slice(0, 100) ?? 'undefined'}`);
}

export function createDigestJobs(input: {
  connection: ConnectionOptions;
  prefix: string;
  env: () => DigestEnv & ReportEnv;
  now: () => number;
  logger: Logger;
  /** Hands the digest's outbox rows to delivery. */
  deliver: (outboxIds: number[]) => Promise<void>;
  /** Minutes after Shanghai midnight of the morning digest (DIGEST_TIME). */
  morningMinute: number;
  /** Run the worker in this process. */
  worker: boolean;
  lockMs?: number;
  recheckEveryMs?: number;
  /** The daily backup (BACKUP_TIME, BACKUP_KEEP > 0): minutes after Shanghai midnight, and the work. */
  backup?: { minute: number; run(): Promise<Record<string, unknown>> } | undefined;
}): DigestJobs {
  const { logger } = input;
  const queue = new Queue<DigestJobData>(DIGEST_QUEUE, {
    connection: input.connection,
    prefix: input.prefix,
    defaultJobOptions: { removeOnComplete: 100, removeOnFail: 500 },
  });
  queue.on('error', (error) => logger.warn({ err: error }, 'digest queue: Redis error'));
  const template = { attempts: 5, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: 100, removeOnFail: 500 };
  const schedulers = [
    { id: MORNING_SCHEDULER, pattern: morningPattern(input.morningMinute), data: { kind: 'morning' } as const },
    { id: MONTHLY_SCHEDULER, pattern: MONTHLY_PATTERN, data: { kind: 'monthly' } as const },
    ...(input.backup ? [{ id: BACKUP_SCHEDULER, pattern: morningPattern(input.backup.minute), data: { kind: 'backup' } as const }] : []),
  ];
  const upsert = async (onlyMissing: boolean) => {
    for (const s of schedulers) {
      if (onlyMissing && (await queue.getJobScheduler(s.id))) continue;
      await queue.upsertJobScheduler(s.id, { pattern: s.pattern, tz: TZ }, { name: s.data.kind, data: s.data, opts: template });
      if (onlyMissing) logger.warn({ scheduler: s.id }, 'digest scheduler was missing in Redis; added again');
    }
  };

  let timer: NodeJS.Timeout | null = null;
  let started = false;
  const recheck = () => {
    void upsert(started)
      .then(() => {
        if (!started) logger.info({ pattern: schedulers.map((s) => s.pattern) }, 'digest schedulers set');
        started = true;
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'digest schedulers not set (Redis away?); will try again'));
  };

  let worker: Worker<DigestJobData> | null = null;
  if (input.worker) {
    worker = new Worker<DigestJobData>(
      DIGEST_QUEUE,
      async (job) => {
        if (job.data.kind === 'backup') {
          if (!input.backup) return { kind: 'skipped' };
          const done = await input.backup.run();
          logger.info({ jobId: job.id, ...done }, 'daily backup taken');
          return done;
        }
        const { result, outboxIds } = runDigestJob(input.env(), job.data, input.now());
        logger.info({ jobId: job.id, ...result }, 'digest job done');
        if (outboxIds.length)
          await input.deliver(outboxIds).catch((error: unknown) => logger.warn({ err: error }, 'digest delivery deferred; the outbox sweeper will send it'));
        return result;
      },
      {
        connection: { ...input.connection, maxRetriesPerRequest: null },
        prefix: input.prefix,
        concurrency: 1,
        ...(input.lockMs ? { lockDuration: input.lockMs } : {}),
      },
    );
    worker.on('failed', (job, error) => logger.warn({ jobId: job?.id, err: error }, 'digest job failed'));
    worker.on('error', (error) => logger.error({ err: error }, 'digest worker error'));
  }

  return {
    queue,
    worker,
    async start() {
      timer ??= setInterval(recheck, input.recheckEveryMs ?? 60_000);
      timer.unref();
      await upsert(false);
      started = true;
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      await worker?.close();
      await queue.close();
    },
  };
}
