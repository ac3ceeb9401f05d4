import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { createCalendarBook } from './app/calendar-book.ts';
import { createCatalogCache, type CatalogCache } from './app/catalog-cache.ts';
import { createDirectoryCache, type DirectoryCache } from './app/directory.ts';
import { runRatingHousekeeping } from './app/housekeeping.ts';
import { createInboundHandler, type InboundHandler } from './app/inbound-handler.ts';
import { loadHolidaySchedules } from './calendar/holiday-data.ts';
import { shanghaiDate, yearOf } from './calendar/local-date.ts';
import { readCatalogFile } from './catalog/catalog-file.ts';
import { createSimulatorChannel } from './channels/simulator-channel.ts';
import type { Config } from './config/config.ts';
import { loadContent } from './content/load-content.ts';
import { actionRegistry } from './conversation/actions/action-registry.ts';
import { createConversationEngine } from './conversation/engine.ts';
import { validateFlows } from './conversation/flow-validation.ts';
import type { TemplateSet } from './conversation/templates.ts';
import { seedCatalogIfEmpty } from './db/catalog-repository.ts';
import { openDatabase, type Database } from './db/open-database.ts';
import { startWalCheckpointer } from './db/wal-checkpointer.ts';
import { buildServer } from './http/build-server.ts';
import { createOutboxQueue, createOutboxWorker, sweepOutbox } from './jobs/outbox-delivery.ts';
import { createAlertScheduler, createAlertWorker, type AlertScheduler } from './jobs/deadline-jobs.ts';
import type { AlertEnv } from './app/deadline-alerts.ts';

/**
 * Builds a whole Daiban process from a validated config: database (migrated), catalogue (seeded on
 * first start), calendars, conversation content (validated), caches, the inbound handler, the
 * outbox queue and worker, and the HTTP server (not listening). main.ts and the integration tests
 * both use it; `close()` stops everything in order.
 */

export interface Daiban {
  server: FastifyInstance;
  database: Database;
  inbound: InboundHandler;
  templates: TemplateSet;
  catalogs: CatalogCache;
  directories: DirectoryCache;
  /** Re-enqueues pending outbox rows (also runs every minute). */
  sweep(): Promise<number>;
  /** Rating reminders and archiving after the rating window (also runs every minute). */
  housekeeping(): Promise<{ reminded: number; archived: number }>;
  /**
   * Deadline reminders and escalations: `rebuild()` schedules every errand's alert jobs from the
   * database (at start-up, after a failed scheduling, and when Redis lost them; checked every sweep).
   */
  alerts: { scheduler: AlertScheduler; rebuild(): Promise<number> };
  close(): Promise<void>;
}

export interface ComposeOptions {
  config: Config;
  redisUrl: string;
  logger: PinoLogger;
  clock?: () => number;
  /** Run the outbox worker in this process (default true). */
  worker?: boolean;
  sweepEveryMs?: number;
  /** How often rating reminders and archiving run; 0 turns the timer off (tests call housekeeping()). */
  housekeepingEveryMs?: number;
}

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export const contentDirs = {
  flowsDir: `${projectRoot}flows`,
  templatesDir: `${projectRoot}templates/zh-CN`,
};

export async function composeDaiban(options: ComposeOptions): Promise<Daiban> {
  const { config, logger } = options;
  const clock = options.clock ?? Date.now;

  const content = loadContent(contentDirs);
  const problems = validateFlows({ flows: content.flows, intents: content.intents, actions: actionRegistry, templates: content.templates });
  if (problems.length) throw new Error(`conversation flows do not validate:\n  ${problems.join('\n  ')}`);
  const templates = content.templates;

  // A file database checkpoints from its own thread; the inline checkpoint stays only as a safety net.
  const onDisk = config.sqlitePath !== ':memory:';
  const database = openDatabase(config.sqlitePath, { autocheckpointPages: onDisk ? 50_000 : 10_000 });
  const checkpointer = onDisk
    ? startWalCheckpointer(config.sqlitePath, {
        onError: (error) => {
          database.sqlite.pragma('wal_autocheckpoint = 10000');
          logger.warn({ err: error }, 'WAL checkpointer thread failed; commits checkpoint inline from now on');
        },
      })
    : null;
  const catalogFile = readCatalogFile(config.catalogPath);
  if (seedCatalogIfEmpty(database, catalogFile, clock())) logger.info({ items: catalogFile.items.length }, 'catalogue loaded from the data file');

  const schedules = loadHolidaySchedules(config.calendarDir);
  const thisYear = yearOf(shanghaiDate(clock()));
  for (const year of [thisYear, thisYear + 1]) {
    const s = schedules.find((y) => y.year === year);
    if (!s) logger.warn({ year }, `calendar: no holiday data for ${year}; deadlines in ${year} will be marked provisional`);
    else if (s.status !== 'official') logger.warn({ year, source: s.source }, `calendar: ${year} is provisional (make-up workdays unknown)`);
  }
  const calendars = createCalendarBook(database, schedules, logger);
  const directories = createDirectoryCache(database);
  const catalogs = createCatalogCache(database);
  catalogs.current();

  // Option labels have no variables (flow validation checks it): render each once.
  const labels = new Map<string, string>();
  const engine = createConversationEngine({
    flows: content.flows,
    intents: content.intents,
    actions: actionRegistry,
    labelText: (key) => labels.get(key) ?? labels.set(key, templates.render(key, {})).get(key) ?? '',
    resumeAfterMs: config.conversationResumeHours * 3_600_000,
    maxTextLength: 2000,
  });

  const connection = { url: options.redisUrl };
  const queue = createOutboxQueue({ ...connection, enableOfflineQueue: false }, config.bullmqPrefix);
  queue.on('error', (error) => logger.warn({ err: error }, 'outbox queue: Redis error'));
  let worker: Worker | null = null;
  if (options.worker !== false) {
    worker = createOutboxWorker({
      connection,
      prefix: config.bullmqPrefix,
      database,
      channels: new Map([['simulator', createSimulatorChannel()]]),
      logger,
      now: clock,
    });
  }

  const alertEnv = (): AlertEnv => {
    const { catalog } = catalogs.current();
    return { database, directory: directories.current(), catalog, calendars, templates, deadlines: config.deadlines, alertPolicy: config.alerts };
  };
  const scheduler = createAlertScheduler({ ...connection, enableOfflineQueue: false }, config.bullmqPrefix, alertEnv, clock);
  scheduler.queue.on('error', (error) => logger.warn({ err: error }, 'deadline queue: Redis error'));
  let alertWorker: Worker | null = null;
  if (options.worker !== false) {
    alertWorker = createAlertWorker({ connection, prefix: config.bullmqPrefix, env: alertEnv, now: clock, logger, deliver: (ids) => queue.enqueue(ids), scheduleNext: (id) => scheduler.schedule([id]) });
  }
  // Set when scheduling after a commit failed (Redis away): the next sweep rebuilds every job.
  let alertsNeedRebuild = true;
  const alertsBuiltKey = `${config.bullmqPrefix}:daiban:alerts-built`;

  const inbound = createInboundHandler({
    alerts: {
      changed: (ids) => {
        scheduler.schedule(ids).catch((error: unknown) => {
          if (!alertsNeedRebuild) logger.warn({ err: error }, 'deadline alerts not scheduled (Redis unreachable?): the next sweep rebuilds them');
          alertsNeedRebuild = true;
        });
      },
    },
    database,
    directories,
    catalogs,
    calendars,
    templates,
    engine,
    deadlines: config.deadlines,
    dispatch: queue,
    logger,
    newPersonId: () => `r-${randomUUID().slice(0, 12)}`,
    botName: config.botName,
  });

  const healthRedis = new Redis(options.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1000 });
  healthRedis.on('error', () => undefined);
  const server = buildServer({
    logger,
    adminToken: config.adminToken,
    simulatorEnabled: config.simulatorEnabled,
    botName: config.botName,
    database,
    inbound,
    catalogs,
    directories,
    clock,
    health: [
      {
        name: 'database',
        check: async () => {
          database.sqlite.prepare('SELECT 1').get();
        },
      },
      {
        name: 'redis',
        check: async () => {
          if (healthRedis.status === 'wait' || healthRedis.status === 'end') await healthRedis.connect().catch(() => undefined);
          const pong = await Promise.race([healthRedis.ping(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 1 s')), 1000).unref())]);
          if (pong !== 'PONG') throw new Error('unexpected answer to PING');
        },
      },
    ],
  });

  const sweep = async () => {
    try {
      return await sweepOutbox(database, queue);
    } catch (error) {
      logger.warn({ err: error }, 'outbox sweep failed; will try again');
      return 0;
    }
  };
  const housekeeping = async () => {
    try {
      const { catalog, matcher } = catalogs.current();
      const env = { database, directory: directories.current(), catalog, matcher, calendars, templates, deadlines: config.deadlines, engine };
      const done = runRatingHousekeeping(env, clock());
      if (done.pendingOutboxIds.length) await queue.enqueue(done.pendingOutboxIds).catch(() => undefined);
      if (done.reminded || done.archived) logger.info(done, 'rating housekeeping');
      return { reminded: done.reminded, archived: done.archived };
    } catch (error) {
      logger.error({ err: error }, 'rating housekeeping failed');
      return { reminded: 0, archived: 0 };
    }
  };
  // Its own connection: remembers that the jobs were built, so a flushed or emptied Redis is noticed.
  const alertsRedis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  alertsRedis.on('error', () => undefined);
  const rebuildAlerts = async () => {
    // Cleared before, so that a scheduling that fails while the rebuild runs still asks for another.
    alertsNeedRebuild = false;
    try {
      const count = await scheduler.rebuild();
      await alertsRedis.set(alertsBuiltKey, String(clock()));
      logger.info({ jobs: count }, 'deadline alert jobs scheduled from the database');
      return count;
    } catch (error) {
      alertsNeedRebuild = true;
      throw error;
    }
  };
  /** Rebuilds the alert jobs when needed: a failed scheduling, or Redis lost them (flushed or restarted empty). */
  const sweepAlerts = async () => {
    try {
      if (alertsNeedRebuild || !(await alertsRedis.exists(alertsBuiltKey))) await rebuildAlerts();
    } catch (error) {
      logger.warn({ err: error }, 'deadline alert rebuild failed; will try again');
    }
  };
  // One sweep for both: pending outbox rows, and the alert jobs when Redis lost them.
  const sweepAll = () => void Promise.all([sweep(), sweepAlerts()]);
  sweepAll();
  const timer = setInterval(sweepAll, options.sweepEveryMs ?? 60_000);
  timer.unref();
  const housekeepingEvery = options.housekeepingEveryMs ?? 60_000;
  const housekeepingTimer = housekeepingEvery > 0 ? setInterval(() => void housekeeping(), housekeepingEvery) : null;
  housekeepingTimer?.unref();

  return {
    server,
    database,
    inbound,
    templates,
    catalogs,
    directories,
    sweep,
    housekeeping,
    alerts: { scheduler, rebuild: rebuildAlerts },
    async close() {
      clearInterval(timer);
      if (housekeepingTimer) clearInterval(housekeepingTimer);
      await server.close();
      await worker?.close();
      await alertWorker?.close();
      await scheduler.close();
      await queue.close();
      healthRedis.disconnect();
      alertsRedis.disconnect();
      await checkpointer?.stop();
      database.close();
    },
  };
}
