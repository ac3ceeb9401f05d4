import pino, { type Logger } from 'pino';
import { composeProcess, type Process } from './compose.ts';
import { loadConfig, redactConfig, type Config } from './config/config.ts';
import { withDotEnv } from './config/dot-env.ts';
import { markRunning } from './db/running-marks.ts';
import { resolveRedis } from './redis/local-redis.ts';

/**
 * The composition root: reads the configuration once (listing every problem and exiting non-zero
 * when there are any), finds Redis, builds the process, listens, and shuts down in order on
 * SIGINT/SIGTERM.
 */

export interface Running {
  process: Process;
  url: string;
  close(): Promise<void>;
}

/** Builds and starts a listening Daiban (used by main and by the demo; only the demo may start a private Redis). */
export async function startDaiban(config: Config, logger: Logger, options: { privateRedis: boolean } = { privateRedis: false }): Promise<Running> {
  const redis = await resolveRedis(config.redisUrl, { info: (m) => logger.info(m), warn: (m) => logger.warn(m) }, { privateServer: options.privateRedis });
  // A process without the worker role neither runs the shared workers nor sweeps: the worker
  // processes do both. The bot role adds the Wechaty session and its own outbox worker.
  const { web, worker, bot } = config.roles;
  const proc = await composeProcess({ config, redisUrl: redis.url, logger, roles: config.roles });
  // While this process runs, `npm run restore` refuses to replace the database.
  const unmark = markRunning(config.sqlitePath);
  const url = proc.web ? await proc.web.server.listen({ host: config.http.host, port: config.http.port }) : '';
  if (web) logger.info({ address: url, simulator: config.simulatorEnabled, worker, bot }, 'Daiban is listening');
  else if (worker) logger.info({ bot }, 'Daiban worker is running (no HTTP server in this process)');
  else logger.info('Daiban bot is running (the Wechaty session and its sending worker; no HTTP server in this process)');
  return {
    process: proc,
    url,
    async close() {
      await proc.close();
      unmark();
      await redis.stop?.();
    },
  };
}

/** A server that can reach nobody, or knows no village, is running but useless: say so at start. */
function warnIfIdle(config: Config, proc: Process, logger: Logger): void {
  const channels = [config.officialAccount, config.officialAccountOutbound, config.wecom, config.wecomRobots, config.wechaty, config.miniProgram].filter(
    Boolean,
  ).length;
  if (channels === 0 && !config.simulatorEnabled) {
    logger.warn(
      'no channel is configured (Official Account, WeCom, Wechaty, mini-program) and the simulator is off: nobody can reach this bot. See .env.example.',
    );
  }
  if (proc.core.directories.current().villages.length === 0) {
    logger.warn('the roster is empty: no village, agent or centre is known yet. Load one: npm run roster:load -- <roster.json> (see data/demo-roster.json).');
  }
}

/** Reads the environment into a config, or prints every problem and exits with status 1. */
export function configOrExit(env: NodeJS.ProcessEnv): Config {
  const loaded = loadConfig(env);
  if (loaded.ok) return loaded.config;
  console.error(`Daiban cannot start: the configuration has ${loaded.problems.length} problem(s):`);
  for (const p of loaded.problems) console.error(`  - ${p}`);
  console.error('See .env.example for every key and its meaning.');
  process.exit(1);
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // .env beside the process (cp .env.example .env); the process environment wins.
  const config = configOrExit(withDotEnv('.env', env));
  const logger = pino({ level: config.logLevel, redact: ['req.headers.authorization', 'adminToken'] });
  logger.info({ config: redactConfig(config) }, 'starting');
  const running = await startDaiban(config, logger);
  warnIfIdle(config, running.process, logger);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: waiting for running jobs');
    // Running jobs get time to finish; a stop that hangs (e.g. Redis gone) is cut short, and their
    // jobs are taken over by another worker once their locks expire.
    setTimeout(() => {
      logger.error('shutdown took longer than 20 s; exiting anyway');
      process.exit(1);
    }, 20_000).unref();
    try {
      await running.close();
    } finally {
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error('Daiban failed to start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
