import type { FastifyInstance } from 'fastify';
import { createTrackingCodes } from '../app/tracking-codes.ts';
import { createCodeExchange } from '../channels/mini-program/jscode2session.ts';
import { createPhoneNumberLookup } from '../channels/mini-program/phone-number.ts';
import { createProgressLimiter } from '../channels/mini-program/progress-limiter.ts';
import { officialAccountEdge } from './official-account.ts';
import { buildServer } from '../http/build-server.ts';
import { databaseCheck, redisCheck } from '../http/health-checks.ts';
import type { Core } from './core.ts';

/**
 * The web role: the HTTP server (not listening yet) with the admin and public API, the simulator when
 * enabled, and the channels' webhooks, callbacks and mini-program API as configured.
 */
export interface Web {
  server: FastifyInstance;
  close(): Promise<void>;
}

export function composeWeb(core: Core): Web {
  const { config, database, inbound, clock, logger } = core;
  const mp = config.miniProgram;
  const mpTokens = core.wechat.miniProgramTokens;
  const miniProgram =
    mp && mpTokens
      ? {
          env: {
            database,
            templates: core.templates,
            context: core.contexts,
            dispatch: core.outbox,
            alerts: core.alerts,
            logger,
            trackingCodes: createTrackingCodes(config.trackingSecret),
          },
          exchange: createCodeExchange(mp),
          phone: createPhoneNumberLookup({ tokens: mpTokens, apiBase: mp.apiBase, appId: mp.appId }),
          sessionMs: mp.sessionMs,
          limiter: createProgressLimiter(core.sharedRedis, config.bullmqPrefix),
          clock,
        }
      : undefined;
  const redisHealth = redisCheck(core.redisUrl);
  const server = buildServer({
    logger,
    adminToken: config.adminToken,
    simulatorEnabled: config.simulatorEnabled,
    botName: config.botName,
    database,
    inbound,
    catalogs: core.catalogs,
    directories: core.directories,
    clock,
    // Shown on /admin/queues and counted by /healthz.
    queues: [...core.outbox.queues.values(), core.alertScheduler.queue, core.digestJobs.queue],
    reports: { stored: core.storedMonth, compute: core.computeMonth },
    outbox: core.outbox,
    ...(config.officialAccount
      ? {
          officialAccount: officialAccountEdge({
            config: config.officialAccount,
            canSend: config.officialAccountOutbound !== null,
            database,
            inbound,
            directories: core.directories,
            templates: core.templates,
            dispatch: core.outbox,
            clock,
            logger,
            redis: { redis: core.sharedRedis, prefix: config.bullmqPrefix },
          }),
        }
      : {}),
    ...(core.wecom.callback ? { wecom: core.wecom.callback } : {}),
    ...(miniProgram ? { miniProgram } : {}),
    photos: core.followers.photos,
    trustProxy: config.trustProxy,
    limits: config.httpLimits,
    health: [databaseCheck(database), redisHealth],
  });
  return {
    server,
    async close() {
      await server.close();
      redisHealth.close();
    },
  };
}
