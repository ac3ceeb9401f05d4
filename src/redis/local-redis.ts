import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/**
 * Finding a Redis for a developer's machine: the configured REDIS_URL; else the usual local one on
 * 127.0.0.1:6379 if it answers; else a private `redis-server` on a free port, started here and stopped
 * with the process. Where there is no redis-server, on Debian/Ubuntu as root it is installed with
 * apt-get (saying so); otherwise one line says how to get it.
 */

export interface LocalRedis {
  url: string;
  /** Present when this process started the server. */
  stop?: () => Promise<void>;
  private: boolean;
}

interface Log {
  info(msg: string): void;
  warn(msg: string): void;
}

export async function pingRedis(url: string, timeoutMs = 800): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** A TCP port nobody listens on: the preferred one if it is free, else one the system picks. */
export async function freePort(preferred = 0): Promise<number> {
  if (preferred) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.unref();
      probe.once('error', () => resolve(false));
      probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return preferred;
  }
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export const REDIS_HELP =
  'Redis is needed: set REDIS_URL, or install redis-server (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis).';

function ensureRedisServer(log: Log): boolean {
  if (hasCommand('redis-server')) return true;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && hasCommand('apt-get')) {
    log.warn('redis-server is not installed: installing it now with apt-get (running as root)…');
    const r = spawnSync(
      'sh',
      [
        '-c',
        'DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server)',
      ],
      {
        stdio: 'inherit',
      },
    );
    return r.status === 0 && hasCommand('redis-server');
  }
  return false;
}

/** Starts a private redis-server (no persistence) on a free port (or the given one); it stops with this process. */
export async function startPrivateRedis(log: Log, options: { port?: number } = {}): Promise<LocalRedis> {
  if (!ensureRedisServer(log)) throw new Error(REDIS_HELP);
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--daemonize', 'no'],
    { stdio: 'ignore' },
  );
  const killChild = () => child.kill('SIGTERM');
  process.once('exit', killChild);
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited at start (code ${child.exitCode})`);
    if (await pingRedis(url, 200)) {
      log.info(`started a private redis-server on ${url}`);
      return {
        url,
        private: true,
        stop: () =>
          new Promise<void>((resolve) => {
            process.removeListener('exit', killChild);
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not answer within 5 s');
}

export const DEFAULT_LOCAL_REDIS = 'redis://127.0.0.1:6379';

/** What `npm start` says when it has no Redis: a service must not quietly start a Redis of its own. */
export const NO_REDIS_FOR_SERVICE =
  'No Redis: REDIS_URL is unset and nothing answers on 127.0.0.1:6379. Start Redis (Debian/Ubuntu: sudo apt-get install -y redis-server; it starts by itself) or set REDIS_URL to one; to try the bot without Redis installed, use `npm run demo`, which starts a private one.';

/**
 * The configured REDIS_URL; else the local one on 127.0.0.1:6379; else — for the demo, the tests and
 * the bench only (`privateServer`) — a private redis-server. A service started with `npm start` never
 * starts its own: three roles started that way would get three Redis servers and never see each
 * other's jobs.
 */
export async function resolveRedis(configured: string | undefined, log: Log, options: { privateServer: boolean; localUrl?: string }): Promise<LocalRedis> {
  if (configured) return { url: configured, private: false };
  const local = options.localUrl ?? DEFAULT_LOCAL_REDIS;
  if (await pingRedis(local)) return { url: local, private: false };
  if (!options.privateServer) throw new Error(NO_REDIS_FOR_SERVICE);
  log.info('no Redis on 127.0.0.1:6379 and REDIS_URL is unset');
  return startPrivateRedis(log);
}
