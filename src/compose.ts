import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { CatalogCache } from './app/catalog-cache.ts';
import type { DirectoryCache } from './app/directory.ts';
import type { InboundHandler } from './app/inbound-handler.ts';
import { runMorningDigest } from './app/morning-digest.ts';
import type { storedMonthlyReport } from './app/monthly-report.ts';
import type { WechatySession, WechatySessionDeps } from './channels/wechaty/wechaty-session.ts';
import type { Config } from './config/config.ts';
import type { TemplateSet } from './conversation/templates.ts';
import type { Database } from './db/open-database.ts';
import type { AlertScheduler } from './jobs/deadline-jobs.ts';
import type { DigestJobs } from './jobs/digest-jobs.ts';
import type { OutboxQueues } from './jobs/outbox-queues.ts';
import { composeBot, type BotRole } from './compose/bot.ts';
import { composeCore, type Core } from './compose/core.ts';
import { composeWeb, type Web } from './compose/web.ts';
import { composeWorker, type WorkerRole } from './compose/worker.ts';

export { contentDirs } from './compose/core.ts';

/**
 * Builds a Daiban process from a validated config, by role (see ROLE): `composeCore` (src/compose/core.ts)
 * what every role shares, then `composeWeb`, `composeWorker` and `composeBot` what each role runs.
 * `composeProcess` builds the roles main.ts asks for; `composeDaiban` builds one process with the
 * web and worker roles (and the bot's when asked), which the integration tests and benchmarks drive.
 * `close()` stops everything in order.
 */

export interface RoleOptions {
  config: Config;
  redisUrl: string;
  logger: PinoLogger;
  clock?: () => number;
  roles: { web: boolean; worker: boolean; bot: boolean };
  /** A puppet instance for the Wechaty session instead of the configured package (tests). */
  wechatyPuppet?: WechatySessionDeps['puppet'];
}

export interface Process {
  core: Core;
  web: Web | null;
  worker: WorkerRole | null;
  bot: BotRole | null;
  close(): Promise<void>;
}

export async function composeProcess(options: RoleOptions, workerOptions: Parameters<typeof composeWorker>[1] = { sweepEveryMs: 60_000 }): Promise<Process> {
  const { roles } = options;
  const core = composeCore({
    config: options.config,
    redisUrl: options.redisUrl,
    logger: options.logger,
    worker: roles.worker && workerOptions.workers !== false,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const web = roles.web ? composeWeb(core) : null;
  const worker = roles.worker ? composeWorker(core, workerOptions) : null;
  const bot = roles.bot ? await composeBot(core, options.wechatyPuppet ? { puppet: options.wechatyPuppet } : {}) : null;
  return {
    core,
    web,
    worker,
    bot,
    async close() {
      // Stop taking messages, let the running jobs finish, then close the shared parts.
      await web?.close();
      await worker?.close();
      await bot?.close();
      await core.close();
    },
  };
}

export interface Daiban {
  server: FastifyInstance;
  database: Database;
  inbound: InboundHandler;
  templates: TemplateSet;
  catalogs: CatalogCache;
  directories: DirectoryCache;
  /** The outbox's queues, one per channel. */
  outbox: OutboxQueues;
  /** Re-enqueues pending outbox rows (also runs every minute). */
  sweep(): Promise<number>;
  /**
   * Deadline reminders and escalations: `rebuild()` schedules every errand's alert jobs from the
   * database (at start-up, after a failed scheduling, and when Redis lost them; checked every sweep).
   */
  alerts: { scheduler: AlertScheduler; rebuild(): Promise<number> };
  /**
   * Morning digests and monthly reports (job schedulers in the 'digests' queue). `runMorning` runs the
   * digest now, outside the queue, and returns how many messages it wrote (0 on a repeated day).
   */
  digests: { jobs: DigestJobs; runMorning(now?: number): Promise<number>; computeMonth(month: string): ReturnType<typeof storedMonthlyReport> };
  /** The personal-WeChat session, in the bot process only. */
  wechaty: WechatySession | null;
  close(): Promise<void>;
}

export interface ComposeOptions {
  config: Config;
  redisUrl: string;
  logger: PinoLogger;
  clock?: () => number;
  /** Run the queue workers (outbox per channel, deadline alerts, digests) in this process (default true). */
  worker?: boolean;
  /** Run the Wechaty session and the 'wechaty' outbox worker here (needs config.wechaty; default false). */
  bot?: boolean;
  /** A puppet instance for the Wechaty session instead of the configured package (tests). */
  wechatyPuppet?: WechatySessionDeps['puppet'];
  /** How often pending outbox rows and lost alert jobs are swept; 0: never, not even at start-up. */
  sweepEveryMs?: number;
}

/** One process with the web role, the worker's chores (and its workers unless `worker: false`), and the bot role when asked. */
export async function composeDaiban(options: ComposeOptions): Promise<Daiban> {
  const runWorkers = options.worker !== false;
  const proc = await composeProcess(
    { ...options, roles: { web: true, worker: true, bot: options.bot === true } },
    { sweepEveryMs: options.sweepEveryMs ?? 60_000, workers: runWorkers },
  );
  const { core } = proc;
  const web = proc.web!;
  const worker = proc.worker!;
  return {
    server: web.server,
    database: core.database,
    inbound: core.inbound,
    templates: core.templates,
    catalogs: core.catalogs,
    directories: core.directories,
    outbox: core.outbox,
    sweep: worker.sweep,
    alerts: { scheduler: core.alertScheduler, rebuild: core.alerts.rebuild },
    digests: {
      jobs: core.digestJobs,
      async runMorning(now = core.clock()) {
        const outcome = runMorningDigest(core.contexts(), now);
        const ids = outcome.kind === 'sent' ? outcome.outboxIds : [];
        await core.outbox.enqueue(ids).catch((error: unknown) => core.logger.warn({ err: error }, 'digest delivery deferred; the outbox sweeper will send it'));
        return ids.length;
      },
      computeMonth: core.computeMonth,
    },
    wechaty: proc.bot?.session ?? null,
    close: () => proc.close(),
  };
}
