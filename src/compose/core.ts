import { Redis } from 'ioredis';
import type { Logger as PinoLogger } from 'pino';
import { type AppContexts } from '../app/app-context.ts';
import { type CatalogCache } from '../app/catalog-cache.ts';
import { type DirectoryCache } from '../app/directory.ts';
import { createInboundHandler, type InboundHandler } from '../app/inbound-handler.ts';
import { computeMonthlyReport, storedMonthlyReport } from '../app/monthly-report.ts';
import type { OutboundChannel } from '../app/ports.ts';
import { createSimulatorChannel } from '../channels/simulator-channel.ts';
import { composeWeCom } from '../channels/wecom/wecom-channels.ts';
import { WECHATY_CHANNEL } from '../channels/wechaty/message-conversion.ts';
import type { Config } from '../config/config.ts';
import type { TemplateSet } from '../conversation/templates.ts';
import { takeDailyBackup } from '../db/backup.ts';
import { openDatabase, type Database } from '../db/open-database.ts';
import { startWalCheckpointer } from '../db/wal-checkpointer.ts';
import { createAlertRebuild, redisAlertsBuiltMarker, type AlertRebuild } from '../jobs/alert-rebuild.ts';
import { createAlertScheduler, type AlertScheduler } from '../jobs/deadline-jobs.ts';
import { createDigestJobs, type DigestJobs } from '../jobs/digest-jobs.ts';
import { composeAppParts } from './app-parts.ts';
import { createOutboxQueues, type OutboxQueues } from '../jobs/outbox-queues.ts';
import { createSendLimits, type SendLimits } from '../jobs/send-limits.ts';
import { createPhotoFiles, type PhotoFiles } from '../storage/photo-files.ts';
import { composeWeChatOutbound } from './wechat-outbound.ts';
import { createFollowerChores, type FollowerChores } from '../app/follower-chores.ts';
import { createMediaDownload } from '../channels/official-account/media-download.ts';
import { OFFICIAL_ACCOUNT_CHANNEL } from '../channels/official-account/push-handling.ts';
import { createUnionIdLookup } from '../channels/official-account/user-info.ts';

/**
 * What every role of a process shares: the database (migrated), the catalogue (seeded on first
 * start), calendars, the conversation content (validated), the caches and the app context, the
 * inbound handler, the outbox's and the deadline and digest queues (to enqueue into; the workers are
 * the worker role's), the sending channels, and Redis. `composeWeb`, `composeWorker` and
 * `composeBot` add what their role runs.
 */

export interface CoreOptions {
  config: Config;
  redisUrl: string;
  logger: PinoLogger;
  clock?: () => number;
  /** The digest jobs are worked in this process (the worker role). */
  worker: boolean;
}

export interface Core {
  config: Config;
  logger: PinoLogger;
  clock: () => number;
  redisUrl: string;
  database: Database;
  templates: TemplateSet;
  directories: DirectoryCache;
  catalogs: CatalogCache;
  contexts: AppContexts;
  inbound: InboundHandler;
  /** Its own connection: the sending limits, access tokens, late marks, the alert marker. */
  sharedRedis: Redis;
  /** The sending channels this process could work (the simulator's, WeChat's, WeCom's). */
  channels: OutboundChannel[];
  wechat: ReturnType<typeof composeWeChatOutbound>;
  wecom: ReturnType<typeof composeWeCom>;
  outbox: OutboxQueues;
  limits: SendLimits;
  alertScheduler: AlertScheduler;
  alerts: AlertRebuild;
  digestJobs: DigestJobs;
  /** Computes and stores one month's figures, and answers them. */
  computeMonth: (month: string) => ReturnType<typeof storedMonthlyReport>;
  storedMonth: (month: string) => ReturnType<typeof storedMonthlyReport>;
  photoFiles: PhotoFiles;
  /** Followers' photos and UnionIDs fetched from WeChat (the photo route asks; the worker's sweep runs the rest). */
  followers: FollowerChores;
  close(): Promise<void>;
}

export { contentDirs } from './app-parts.ts';

export function composeCore(options: CoreOptions): Core {
  const { config, logger } = options;
  const clock = options.clock ?? Date.now;

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
  const { templates, directories, catalogs, contexts } = composeAppParts(database, config, logger, clock);

  // Each queue gets its own options object; none queues a command while Redis is away.
  const connection = () => ({ url: options.redisUrl, enableOfflineQueue: false });
  const sharedRedis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  sharedRedis.on('error', () => undefined);
  const wechat = composeWeChatOutbound({ config, redis: sharedRedis, database, directories, templates, logger, now: clock });
  const wecom = composeWeCom({ config, redis: sharedRedis, database, directories, logger });
  const channels: OutboundChannel[] = [createSimulatorChannel(database, clock), ...wechat.channels, ...wecom.channels];
  const outbox = createOutboxQueues({
    connection: connection(),
    prefix: config.bullmqPrefix,
    database,
    // Every process knows the 'wechaty' queue (to enqueue); only the bot process works it.
    channels: [...channels.map((c) => c.name), ...(config.wechaty ? [WECHATY_CHANNEL] : [])],
    onError: (error) => logger.warn({ err: error }, 'outbox queue: Redis error'),
  });
  const limits = createSendLimits(sharedRedis, config.bullmqPrefix, config.outbox);

  const alertScheduler = createAlertScheduler(connection(), config.bullmqPrefix, contexts, clock);
  alertScheduler.queue.on('error', (error) => logger.warn({ err: error }, 'deadline queue: Redis error'));
  // Changed errands' jobs are scheduled after each commit; lost or unscheduled ones are rebuilt by the checks.
  const alerts = createAlertRebuild({ scheduler: alertScheduler, marker: redisAlertsBuiltMarker(sharedRedis, config.bullmqPrefix), logger, clock });

  // Morning digests, monthly reports and the daily backup: job schedulers in the 'digests' queue.
  const digestJobs = createDigestJobs({
    connection: connection(),
    prefix: config.bullmqPrefix,
    env: contexts,
    now: clock,
    logger,
    deliver: (ids) => outbox.enqueue(ids),
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
    worker: options.worker,
    lockMs: config.jobLockMs,
  });
  const storedMonth = (month: string) => storedMonthlyReport(contexts(), month);

  const photoFiles = createPhotoFiles(config.photosDir);
  const oaTokens = wechat.officialAccountTokens;
  const oaApiBase = config.officialAccountOutbound?.apiBase;
  const oaApi = oaTokens && oaApiBase ? { tokens: oaTokens, apiBase: oaApiBase } : null;
  const followers = createFollowerChores({
    database,
    files: photoFiles,
    channel: OFFICIAL_ACCOUNT_CHANNEL,
    download: oaApi ? createMediaDownload(oaApi) : null,
    // A mini-program beside the account: one person's two apps are linked by UnionID.
    unionLookup: oaApi && config.miniProgram !== null ? createUnionIdLookup(oaApi) : null,
    clock,
    logger,
  });

  const inbound = createInboundHandler({ context: contexts, alerts, dispatch: outbox, logger });

  return {
    config,
    logger,
    clock,
    redisUrl: options.redisUrl,
    database,
    templates,
    directories,
    catalogs,
    contexts,
    inbound,
    sharedRedis,
    channels,
    wechat,
    wecom,
    outbox,
    limits,
    alertScheduler,
    alerts,
    digestJobs,
    computeMonth: (month) => {
      computeMonthlyReport(contexts(), month, clock());
      return storedMonth(month);
    },
    storedMonth,
    photoFiles,
    followers,
    async close() {
      await alertScheduler.close();
      await digestJobs.close();
      await outbox.close();
      sharedRedis.disconnect();
      await checkpointer?.stop();
      database.close();
    },
  };
}
