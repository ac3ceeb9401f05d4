import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { createCalendarBook } from './app/calendar-book.ts';
import { createCatalogCache, type CatalogCache } from './app/catalog-cache.ts';
import { createDirectoryCache, type DirectoryCache } from './app/directory.ts';
import { createInboundHandler, type InboundHandler } from './app/inbound-handler.ts';
import { createFollowerChores } from './channels/official-account/follower-chores.ts';
import { createPhotoFiles } from './storage/photo-files.ts';
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
import { createOutboxWorker } from './jobs/outbox-delivery.ts';
import { createOutboxQueues, sweepOutbox, type OutboxQueues } from './jobs/outbox-queues.ts';
import { createSendLimits } from './jobs/send-limits.ts';
import { createAlertScheduler, createAlertWorker, type AlertScheduler } from './jobs/deadline-jobs.ts';
import type { AlertEnv } from './app/deadline-alerts.ts';
import { runMorningDigest } from './app/morning-digest.ts';
import { computeMonthlyReport, storedMonthlyReport } from './app/monthly-report.ts';
import { createDigestJobs, type DigestJobs } from './jobs/digest-jobs.ts';
import { takeDailyBackup } from './db/backup.ts';
import { officialAccountEdge } from './channels/official-account/compose-official-account.ts';
import { composeWeChatOutbound } from './compose/wechat-outbound.ts';
import type { OutboundChannel } from './app/ports.ts';
import { composeWeCom } from './channels/wecom/wecom-channels.ts';
import { WECHATY_CHANNEL } from './channels/wechaty/message-conversion.ts';
import { startWechatySession, type WechatySession, type WechatySessionDeps } from './channels/wechaty/wechaty-session.ts';
import { createCodeExchange } from './channels/mini-program/jscode2session.ts';
import { createProgressLimiter } from './channels/mini-program/progress-limiter.ts';
import { createTrackingCodes } from './app/tracking-codes.ts';
import { createPhoneNumberLookup } from './channels/mini-program/phone-number.ts';

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
  /** Run the queue workers (outbox per channel, deadline alerts) in this process (default true). */
  worker?: boolean;
  /** Run the Wechaty session and the 'wechaty' outbox worker here (needs config.wechaty; default false). */
  bot?: boolean;
  /** A puppet instance for the Wechaty session instead of the configured package (tests). */
  wechatyPuppet?: WechatySessionDeps['puppet'];
  /** How often pending outbox rows and lost alert jobs are swept; 0: never, not even at start-up (a web-only process). */
  sweepEveryMs?: number;
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
  const database = openDatabase(config.sqlitePath, { autocheckpointPages: onDisk ? 50_000 : 10_000, backupBeforeMigrationDir: config.backup.dir });
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
  const runWorkers = options.worker !== false;
  // Its own connection: the sending limits, and the marker that says the alert jobs were built.
  const sharedRedis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  sharedRedis.on('error', () => undefined);
  const channels: OutboundChannel[] = [createSimulatorChannel(database, clock)];
  const wechatOut = composeWeChatOutbound({ config, redis: sharedRedis, database, directories, templates, logger, now: clock });
  channels.push(...wechatOut.channels);
  const wecom = composeWeCom({ config, redis: sharedRedis, database, directories, logger });
  channels.push(...wecom.channels);
  const queue = createOutboxQueues({
    connection: { ...connection, enableOfflineQueue: false },
    prefix: config.bullmqPrefix,
    database,
    // Every process knows the 'wechaty' queue (to enqueue); only the bot process works it.
    channels: [...channels.map((c) => c.name), ...(config.wechaty ? [WECHATY_CHANNEL] : [])],
    onError: (error) => logger.warn({ err: error }, 'outbox queue: Redis error'),
  });
  const limits = createSendLimits(sharedRedis, config.bullmqPrefix, config.outbox);
  const workers: Worker[] = runWorkers
    ? channels.map((channel) =>
        createOutboxWorker({
          connection,
          prefix: config.bullmqPrefix,
          database,
          channel,
          limits,
          logger,
          now: clock,
          lockMs: config.jobLockMs,
          dispatch: (ids) => queue.enqueue(ids),
        }),
      )
    : [];

  const alertEnv = (): AlertEnv => {
    const { catalog, matcher } = catalogs.current();
    return {
      database,
      directory: directories.current(),
      catalog,
      matcher,
      engine,
      calendars,
      templates,
      deadlines: config.deadlines,
      alertPolicy: config.alerts,
    };
  };
  const scheduler = createAlertScheduler({ ...connection, enableOfflineQueue: false }, config.bullmqPrefix, alertEnv, clock);
  scheduler.queue.on('error', (error) => logger.warn({ err: error }, 'deadline queue: Redis error'));
  let alertWorker: Worker | null = null;
  if (runWorkers) {
    alertWorker = createAlertWorker({
      connection,
      prefix: config.bullmqPrefix,
      env: alertEnv,
      now: clock,
      logger,
      deliver: (ids) => queue.enqueue(ids),
      scheduleNext: (id) => scheduler.schedule([id]),
    });
  }
  // Morning digests and monthly reports: the schedulers are set at start-up (and checked every minute).
  const digestEnv = () => ({ database, directory: directories.current(), calendars, templates });
  const digestDeliver = (ids: number[]) => queue.enqueue(ids);
  const digestJobs = createDigestJobs({
    connection: { ...connection, enableOfflineQueue: false },
    prefix: config.bullmqPrefix,
    env: digestEnv,
    now: clock,
    logger,
    deliver: digestDeliver,
    morningMinute: config.digestMinute,
    backup:
      config.backup.keep > 0 && onDisk
        ? {
            minute: config.backup.minute,
            run: () =>
              takeDailyBackup({
                sqlitePath: config.sqlitePath,
                photosDir: config.photosDir,
                backupDir: config.backup.dir,
                keep: config.backup.keep,
                now: clock(),
              }),
          }
        : undefined,
    worker: options.worker !== false,
    lockMs: config.jobLockMs,
  });
  const computeMonth = (month: string) => {
    computeMonthlyReport(digestEnv(), month, clock());
    return storedMonthlyReport(digestEnv(), month);
  };
  const digests: Daiban['digests'] = {
    jobs: digestJobs,
    async runMorning(now = clock()) {
      const outcome = runMorningDigest(digestEnv(), now);
      const ids = outcome.kind === 'sent' ? outcome.outboxIds : [];
      await digestDeliver(ids).catch((error: unknown) => logger.warn({ err: error }, 'digest delivery deferred; the outbox sweeper will send it'));
      return ids.length;
    },
    computeMonth,
  };
  // Set when scheduling after a commit failed (Redis away): the next sweep rebuilds every job.
  let alertsNeedRebuild = true;
  const alertsBuiltKey = `${config.bullmqPrefix}:daiban:alerts-built`;

  // Told after a commit which errands changed (chat, commands, mini-program forms).
  const alerts = {
    changed: (ids: ReadonlySet<number>) => {
      scheduler.schedule(ids).catch((error: unknown) => {
        if (!alertsNeedRebuild) logger.warn({ err: error }, 'deadline alerts not scheduled (Redis unreachable?): the next sweep rebuilds them');
        alertsNeedRebuild = true;
      });
    },
  };
  const newPersonId = () => `r-${randomUUID().slice(0, 12)}`;
  const inbound = createInboundHandler({
    alerts,
    database,
    directories,
    catalogs,
    calendars,
    templates,
    engine,
    deadlines: config.deadlines,
    dispatch: queue,
    logger,
    newPersonId,
    botName: config.botName,
  });
  const oaTokens = wechatOut.officialAccountTokens;
  const oaApiBase = config.officialAccountOutbound?.apiBase;
  const photoFiles = createPhotoFiles(config.photosDir);
  const followers = createFollowerChores({
    database,
    files: photoFiles,
    api: oaTokens && oaApiBase ? { tokens: oaTokens, apiBase: oaApiBase } : null,
    withMiniProgram: config.miniProgram !== null,
    clock,
    logger,
  });
  const mp = config.miniProgram;
  const mpTokens = wechatOut.miniProgramTokens;
  const miniProgram =
    mp && mpTokens
      ? {
          env: {
            database,
            directories,
            catalogs,
            calendars,
            templates,
            deadlines: config.deadlines,
            dispatch: queue,
            alerts,
            logger,
            newPersonId,
            trackingCodes: createTrackingCodes(config.trackingSecret),
          },
          exchange: createCodeExchange(mp),
          phone: createPhoneNumberLookup({ tokens: mpTokens, apiBase: mp.apiBase, appId: mp.appId }),
          sessionMs: mp.sessionMs,
          limiter: createProgressLimiter(sharedRedis, config.bullmqPrefix),
          clock,
        }
      : undefined;

  // Only the process holding the login can send through the personal account.
  const wechaty =
    config.wechaty && options.bot
      ? await startWechatySession({
          config: config.wechaty,
          botName: config.botName,
          database,
          directories,
          templates,
          inbound,
          dispatch: queue,
          logger,
          clock,
          photos: photoFiles,
          ...(options.wechatyPuppet ? { puppet: options.wechatyPuppet } : {}),
        })
      : null;
  if (wechaty)
    workers.push(
      createOutboxWorker({
        connection,
        prefix: config.bullmqPrefix,
        database,
        channel: wechaty.channel,
        limits,
        logger,
        now: clock,
        lockMs: config.jobLockMs,
        concurrency: 1,
      }),
    );
  if (workers.length) logger.info({ channels: workers.map((w) => w.name) }, 'outbox workers started');

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
    // Shown on /admin/queues and counted by /healthz.
    queues: [...queue.queues.values(), scheduler.queue, digestJobs.queue],
    reports: { stored: (month) => storedMonthlyReport(digestEnv(), month), compute: computeMonth },
    outbox: queue,
    ...(config.officialAccount
      ? {
          officialAccount: officialAccountEdge({
            config: config.officialAccount,
            canSend: config.officialAccountOutbound !== null,
            database,
            inbound,
            directories,
            templates,
            dispatch: queue,
            clock,
            logger,
            redis: { redis: sharedRedis, prefix: config.bullmqPrefix },
          }),
        }
      : {}),
    ...(wecom.callback ? { wecom: wecom.callback } : {}),
    ...(miniProgram ? { miniProgram } : {}),
    photos: followers.photos,
    trustProxy: config.trustProxy,
    limits: config.httpLimits,
    health: [
      {
        name: 'database',
        check: async () => {
          database.sqlite.prepare('SELECT 1').get();
        },
      },
      {
        name: 'redis',
        // Without Redis the bot still takes and answers messages; notifications wait in the outbox.
        essential: false,
        check: async () => {
          if (healthRedis.status === 'wait' || healthRedis.status === 'end') await healthRedis.connect().catch(() => undefined);
          // The health route gives every check one second.
          if ((await healthRedis.ping()) !== 'PONG') throw new Error('unexpected answer to PING');
        },
      },
    ],
  });

  const sweep = async () => {
    // Workers also fetch followers' photos and UnionIDs (follower-chores.ts).
    if (runWorkers) void followers.run();
    try {
      return await sweepOutbox(database, queue, clock());
    } catch (error) {
      logger.warn({ err: error }, 'outbox sweep failed; will try again');
      return 0;
    }
  };
  let rebuilding: Promise<number> | null = null;
  /** One rebuild at a time: a sweep that finds one running waits for it instead of starting another. */
  const rebuildAlerts = () => {
    rebuilding ??= (async () => {
      // Cleared before, so that a scheduling that fails while the rebuild runs still asks for another.
      alertsNeedRebuild = false;
      try {
        const count = await scheduler.rebuild();
        await sharedRedis.set(alertsBuiltKey, String(clock()));
        logger.info({ jobs: count }, 'deadline alert jobs scheduled from the database');
        return count;
      } catch (error) {
        alertsNeedRebuild = true;
        throw error;
      } finally {
        rebuilding = null;
      }
    })();
    return rebuilding;
  };
  /** Rebuilds the alert jobs when needed: a failed scheduling, or Redis lost them (flushed or restarted empty). */
  const sweepAlerts = async () => {
    try {
      if (rebuilding) return;
      if (alertsNeedRebuild || !(await sharedRedis.exists(alertsBuiltKey))) await rebuildAlerts();
    } catch (error) {
      logger.warn({ err: error }, 'deadline alert rebuild failed; will try again');
    }
  };
  // Pending outbox rows are swept every minute; whether Redis lost the alert jobs (one EXISTS) is
  // checked every few seconds, so that a flushed or restarted Redis gets them back within seconds.
  const sweepEvery = options.sweepEveryMs ?? 60_000;
  const alertCheckEvery = Math.min(sweepEvery, 5_000);
  if (sweepEvery > 0) void Promise.all([sweep(), sweepAlerts()]);
  const timer = sweepEvery > 0 ? setInterval(() => void sweep(), sweepEvery) : null;
  timer?.unref();
  const alertTimer = sweepEvery > 0 ? setInterval(() => void sweepAlerts(), alertCheckEvery) : null;
  alertTimer?.unref();
  digestJobs.start().catch((error: unknown) => logger.warn({ err: error }, 'digest schedulers not set at start-up (Redis away?); retried every minute'));

  return {
    server,
    database,
    inbound,
    templates,
    catalogs,
    directories,
    outbox: queue,
    sweep,
    alerts: { scheduler, rebuild: rebuildAlerts },
    digests,
    wechaty,
    async close() {
      if (timer) clearInterval(timer);
      if (alertTimer) clearInterval(alertTimer);
      await server.close();
      // Closing a worker waits for the jobs it is running.
      await Promise.all([...workers, ...(alertWorker ? [alertWorker] : [])].map((w) => w.close()));
      await wechaty?.stop();
      await scheduler.close();
      await digestJobs.close();
      await queue.close();
      healthRedis.disconnect();
      sharedRedis.disconnect();
      await checkpointer?.stop();
      database.close();
    },
  };
}
