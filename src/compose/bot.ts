import type { Worker } from 'bullmq';
import { startWechatySession, type WechatySession, type WechatySessionDeps } from '../channels/wechaty/wechaty-session.ts';
import { createOutboxWorker } from '../jobs/outbox-delivery.ts';
import { createBindCodeDesk } from '../app/bind-codes.ts';
import type { Core } from './core.ts';

/**
 * The bot role: the personal-WeChat (Wechaty) session and the 'wechaty' outbox worker. Only the
 * process holding the login can send through the personal account, so only one process has this role.
 */
export interface BotRole {
  session: WechatySession;
  close(): Promise<void>;
}

export async function composeBot(core: Core, options: { puppet?: WechatySessionDeps['puppet'] } = {}): Promise<BotRole | null> {
  const { config, logger, clock } = core;
  if (!config.wechaty) return null;
  const session = await startWechatySession({
    config: config.wechaty,
    botName: config.botName,
    database: core.database,
    directories: core.directories,
    templates: core.templates,
    inbound: core.inbound,
    bindCodes: createBindCodeDesk({ database: core.database, directories: core.directories, templates: core.templates, botName: config.botName }),
    dispatch: core.outbox,
    logger,
    clock,
    photos: core.photoFiles,
    ...(options.puppet ? { puppet: options.puppet } : {}),
  });
  const worker: Worker = createOutboxWorker({
    connection: { url: core.redisUrl },
    prefix: config.bullmqPrefix,
    database: core.database,
    channel: session.channel,
    limits: core.limits,
    logger,
    now: clock,
    lockMs: config.jobLockMs,
    concurrency: 1,
  });
  logger.info({ channels: [worker.name] }, 'outbox workers started');
  return {
    session,
    async close() {
      await worker.close();
      await session.stop();
    },
  };
}
