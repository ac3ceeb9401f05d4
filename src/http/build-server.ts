import type { Queue } from 'bullmq';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { CatalogCache } from '../app/catalog-cache.ts';
import type { DirectoryCache } from '../app/directory.ts';
import type { InboundHandler } from '../app/inbound-handler.ts';
import type { OfficialAccountDeps } from '../channels/official-account/webhook-deps.ts';
import type { WeComCallbackDeps } from '../channels/wecom/callback-deps.ts';
import { registerOfficialAccountRoutes } from './routes/official-account-webhook.ts';
import { registerWeComRoutes } from './routes/wecom-callback.ts';
import { registerMiniProgramRoutes, type MiniProgramRouteDeps } from './routes/mini-program-routes.ts';
import type { Database } from '../db/open-database.ts';
import { createAdminGuard, createBrowserAdminGuard } from './admin-auth.ts';
import { registerApiDocs } from './api-docs.ts';
import type { HttpLimits } from '../config/config.ts';
import { DEFAULT_HTTP_LIMITS, limitConnectionsPerAddress, serverTimeouts } from './connection-limits.ts';
import { installErrorHandler } from './error-handler.ts';
import { installZodValidation } from './zod-validation.ts';
import { serializeRequest } from './request-log.ts';
import { registerAdminRoutes } from './routes/admin-routes.ts';
import { registerBindCodeRoutes } from './routes/bind-code-routes.ts';
import { registerCatalogRoutes } from './routes/catalog-routes.ts';
import { registerDeadLetterRoutes, type Redelivery } from './routes/dead-letter-routes.ts';
import { registerErrandRoutes } from './routes/errand-routes.ts';
import type { PhotoLibrary } from '../app/photo-library.ts';
import { registerHealthRoutes, type HealthCheck } from './routes/health-routes.ts';
import { registerQueueBoard } from './routes/queue-board.ts';
import { registerReportRoutes, type MonthlyReports } from './routes/report-routes.ts';
import { registerDeliveryRoutes } from './routes/delivery-routes.ts';
import { registerSimulatorRoutes } from './routes/simulator-routes.ts';

/** Builds the HTTP server without listening (tests use inject(); main.ts listens). */

export interface HttpDeps {
  logger: FastifyBaseLogger;
  adminToken: string;
  simulatorEnabled: boolean;
  botName: string;
  database: Database;
  inbound: InboundHandler;
  catalogs: CatalogCache;
  directories: DirectoryCache;
  health: readonly HealthCheck[];
  /** The BullMQ queues: shown on /admin/queues and counted by /healthz (no board without them). */
  queues?: readonly Queue[];
  /** Sends dead letters again (GET/POST /api/admin/dead-letters…); no routes without it. */
  outbox?: Redelivery;
  /** Stored monthly figures (GET /api/admin/reports, POST …/compute); no routes without it. */
  reports?: MonthlyReports;
  /** The Official Account webhook (GET/POST /wechat/official-account); 404 without it. */
  officialAccount?: OfficialAccountDeps;
  /** The WeCom app's callback (GET/POST /wechat/wecom); 404 without it. */
  wecom?: Omit<WeComCallbackDeps, 'inbound' | 'clock'>;
  /** The mini-program API (/api/mp/…); 404 without it. */
  miniProgram?: MiniProgramRouteDeps;
  /** The photos residents sent, shown with their errand (GET /api/errands/<receiptNo>/photos…); no routes without it. */
  photos?: PhotoLibrary;
  clock: () => number;
  /** Fastify's trustProxy (HTTP_TRUST_PROXY): whose X-Forwarded-For gives request.ip. */
  trustProxy?: false | number | string[];
  /** Timeouts and connections per address (default DEFAULT_HTTP_LIMITS). */
  limits?: HttpLimits;
}

/** Believes the nearest `hops` proxies (what Fastify does for a number; its typings only take a function). */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** WeChat bodies are small; anything beyond this is refused with 413. */
export const BODY_LIMIT = 64 * 1024;

export function buildServer(deps: HttpDeps): FastifyInstance {
  // Request start/end lines only at debug level: at info they would double the log volume of every chat message.
  const quiet = deps.logger.level !== 'debug' && deps.logger.level !== 'trace';
  const limits = deps.limits ?? DEFAULT_HTTP_LIMITS;
  const app: FastifyInstance = Fastify({
    // Request lines never carry a query string's values (signed WeChat URLs, phone digits): the
    // logger's own request serializer wins over fastify's.
    loggerInstance: deps.logger.child({}, { serializers: { req: serializeRequest } }),
    ...serverTimeouts(limits),
    bodyLimit: BODY_LIMIT,
    trustProxy: typeof deps.trustProxy === 'number' ? trustHops(deps.trustProxy) : (deps.trustProxy ?? false),
    logController: new LogController({ disableRequestLogging: quiet }),
  });
  let refused = 0;
  let warnedAt = 0;
  limitConnectionsPerAddress(app.server, limits.maxConnectionsPerIp, (address) => {
    // A flood refuses thousands: say so once a minute with the count.
    refused += 1;
    if (Date.now() - warnedAt < 60_000) return;
    deps.logger.warn({ address, refused, max: limits.maxConnectionsPerIp }, 'connections refused: too many open from one address');
    warnedAt = Date.now();
    refused = 0;
  });
  installErrorHandler(app);
  installZodValidation(app);
  // The OpenAPI document and swagger-ui at /docs: the routes load after it, so that it sees them.
  registerApiDocs(app, { version: '1' });
  void app.register(async (scope) => registerRoutes(scope, deps));
  return app;
}

function registerRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const requireAdmin = createAdminGuard(deps.adminToken);
  registerHealthRoutes(app, { checks: deps.health, queues: deps.queues ?? [], database: deps.database, adminToken: deps.adminToken });
  if (deps.queues) registerQueueBoard(app, { queues: deps.queues, requireAdmin: createBrowserAdminGuard(deps.adminToken) });
  registerCatalogRoutes(app, { database: deps.database, catalogs: deps.catalogs, requireAdmin, clock: deps.clock });
  registerAdminRoutes(app, { database: deps.database, directories: deps.directories, requireAdmin, clock: deps.clock });
  registerBindCodeRoutes(app, { database: deps.database, directories: deps.directories, requireAdmin, clock: deps.clock });
  if (deps.outbox) registerDeadLetterRoutes(app, { database: deps.database, requireAdmin, outbox: deps.outbox });
  registerErrandRoutes(app, { database: deps.database, directories: deps.directories, requireAdmin, ...(deps.photos ? { photos: deps.photos } : {}) });
  if (deps.reports) registerReportRoutes(app, { reports: deps.reports, requireAdmin, clock: deps.clock });
  registerDeliveryRoutes(app, { database: deps.database, directories: deps.directories, requireAdmin, clock: deps.clock });
  if (deps.simulatorEnabled)
    registerSimulatorRoutes(app, { inbound: deps.inbound, database: deps.database, requireAdmin, clock: deps.clock, botName: deps.botName });
  // Every channel's routes, configured or not: /docs lists them all; a channel not configured answers 404.
  registerOfficialAccountRoutes(app, deps.officialAccount ?? null);
  registerWeComRoutes(app, deps.wecom ? { ...deps.wecom, inbound: deps.inbound, clock: deps.clock } : null);
  registerMiniProgramRoutes(app, deps.miniProgram ?? null);
}
