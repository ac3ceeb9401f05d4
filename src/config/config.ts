import { createHmac } from 'node:crypto';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { parseWorkingHours } from '../calendar/working-hours.ts';
import type { AlertPolicy, DeadlinePolicy } from '../app/deadline-policy.ts';
import { channelConfig, channelEnvShape, channelKeyProblems, redactChannelConfig, type ChannelConfig } from './channel-config.ts';

/**
 * The one configuration of a Daiban process, built from flat environment keys.
 * `.env.example` documents every key of `envSchema`; a test keeps the two in step.
 */

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0–65535').max(65535, 'must be 0–65535');

const workingDays = (fallback: number) => z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1).max(60).default(fallback);

/** "08:30" → 510 (minutes after midnight); null when it is not a time of day. */
function parseClockTime(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The tracking-code key when PUBLIC_LINK_SECRET is unset: derived from the admin token (changing that token changes every code). */
const derivedTrackingSecret = (adminToken: string) => createHmac('sha256', adminToken).update('daiban public tracking links').digest('hex');

export const envSchema = z.object({
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: port.default(3000),
  HTTP_TRUST_PROXY: z
    .string()
    .default('false')
    .refine(
      (v) =>
        v === 'false' || /^\d{1,2}$/.test(v) || v.split(',').every((t) => /^(?:loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(?:\/\d{1,3})?)$/.test(t.trim())),
      "must be false, a number of proxy hops, or the proxies' addresses (IPs or CIDRs, comma-separated; loopback, linklocal, uniquelocal)",
    ),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  HTTP_CONNECTION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(5_000),
  HTTP_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(0).max(1_000_000).default(256),
  SQLITE_PATH: z.string().min(1).default('./data/daiban.db'),
  /** Where photos residents send are kept as files (default: photos/ beside the SQLite file). */
  PHOTOS_DIR: z.string().min(1).optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must look like redis://host:port')
    .optional(),
  BULLMQ_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/, 'lower-case letters, digits, - and _ only')
    .default('daiban'),
  ADMIN_TOKEN: z.string({ error: 'is required' }).min(16, 'must be at least 16 characters'),
  PUBLIC_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SIMULATOR_ENABLED: booleanFlag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CATALOG_PATH: z.string().min(1).default('./data/catalog.yaml'),
  CALENDAR_DIR: z.string().min(1).default('./data/calendar'),
  DEADLINE_CLAIM_DAYS: workingDays(1),
  DEADLINE_DELIVERY_DAYS: workingDays(3),
  DEADLINE_FEEDBACK_DAYS: workingDays(2),
  DEADLINE_RATING_DAYS: workingDays(5),
  DEADLINE_RECTIFICATION_DAYS: workingDays(15),
  DEADLINE_PICKUP_DAYS: workingDays(2),
  DEADLINE_HANDLING_DAYS: workingDays(5),
  DEADLINE_HANDBACK_DAYS: workingDays(2),
  DEADLINE_MATERIALS_RETURN_DAYS: workingDays(2),
  DEADLINE_COMPLAINT_DAYS: workingDays(10),
  RATING_REMINDER_DAYS: workingDays(2),
  ALERT_HOURS: z
    .string()
    .default('08:30-17:30')
    .refine((v) => parseWorkingHours(v) !== null, 'must be a range like 08:30-17:30 (opening before closing)'),
  ALERT_REMINDER_DAYS: z
    .string()
    .default('1,0')
    .refine((v) => /^\s*\d{1,2}(\s*,\s*\d{1,2})*\s*$/.test(v), 'must be working days before the due day, e.g. 1,0'),
  DIGEST_TIME: z
    .string()
    .default('08:30')
    .refine((v) => parseClockTime(v) !== null, 'must be a time of day like 08:30'),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_KEEP: z.coerce.number().int().min(0).max(3650).default(14),
  BACKUP_TIME: z
    .string()
    .default('02:30')
    .refine((v) => parseClockTime(v) !== null, 'must be a time of day like 02:30'),
  CONVERSATION_RESUME_HOURS: z.coerce.number().int().min(1).max(720).default(6),
  ROLE: z
    .string()
    .default('all')
    .transform((v) => v.split(',').map((r) => r.trim()))
    .refine((roles) => roles.every((r) => ['all', 'web', 'worker', 'bot'].includes(r)), 'must be all, web, worker, bot, or a list such as web,worker'),
  OUTBOX_ROOM_PER_MINUTE: z.coerce.number({ error: 'must be a number' }).int().min(1).max(600).default(20),
  OUTBOX_PERSON_PER_MINUTE: z.coerce.number({ error: 'must be a number' }).int().min(1).max(600).default(20),
  JOB_LOCK_SECONDS: z.coerce.number({ error: 'must be a number' }).int().min(1).max(600).default(30),
  BOT_NAME: z.string().trim().min(1).max(30).default('代办助手'),
  ...channelEnvShape,
});

/** Problems between keys, reported together with those of single keys. */
function crossKeyProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  problems.push(...channelKeyProblems(env));
  return problems;
}

export type { AlertPolicy, DeadlinePolicy };

export type EnvKey = keyof typeof envSchema.shape;
export const envKeys = Object.keys(envSchema.shape) as EnvKey[];

export interface HttpLimits {
  /** The whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number;
  /** A connection that sends nothing for this long is closed. */
  connectionTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Open connections from one address (0: no limit): behind a proxy, the proxy's own connections count. */
  maxConnectionsPerIp: number;
}

export interface Config extends ChannelConfig {
  http: { host: string; port: number };
  /**
   * Which reverse proxies' X-Forwarded-For to believe (Fastify's trustProxy): the client's address
   * then counts for per-address limits (the progress lookup). false: the connection's address.
   */
  trustProxy: false | number | string[];
  /** How long a connection may take and hold the server (see http/connection-limits.ts). */
  httpLimits: HttpLimits;
  sqlitePath: string;
  /** Photos residents send, kept as files (see storage/photo-files.ts). */
  photosDir: string;
  /** Absent: the launcher finds a local Redis or starts a private one. */
  redisUrl: string | undefined;
  bullmqPrefix: string;
  adminToken: string;
  /** Signs the tracking codes of receipts (PUBLIC_LINK_SECRET, else derived from the admin token). */
  trackingSecret: string;
  simulatorEnabled: boolean;
  logLevel: z.infer<typeof envSchema.shape.LOG_LEVEL>;
  catalogPath: string;
  calendarDir: string;
  deadlines: DeadlinePolicy;
  /** When reminders and escalations go out, and how many working days before a due day they remind. */
  alerts: AlertPolicy;
  /** The morning digest's time on working days, in minutes after Shanghai midnight (08:30 → 510). */
  digestMinute: number;
  /** Backups (db/backup.ts): where, how many daily ones to keep (0: no daily backup), and when (minutes after Shanghai midnight). */
  backup: { dir: string; keep: number; minute: number };
  conversationResumeHours: number;
  /** The bot's display name: "@<name>" in a room mentions it. */
  botName: string;
  /**
   * What this process runs: the HTTP server (web), the queue workers and timers (worker), the
   * personal-WeChat session with its sending worker (bot; `all` includes it when WECHATY_PUPPET is set).
   */
  roles: { web: boolean; worker: boolean; bot: boolean };
  /** Per-destination send limits (a room, a person), shared by every worker through Redis. */
  outbox: { roomPerMinute: number; personPerMinute: number };
  /** How long a job stays locked to a worker that stopped answering before another takes it over. */
  jobLockMs: number;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Reads the flat environment once; reports every problem at the same time. */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  // Empty strings count as unset, as in most dotenv tooling.
  const cleaned = Object.fromEntries(envKeys.map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const parsed = envSchema.safeParse(cleaned);
  const crossProblems = crossKeyProblems(cleaned);
  if (!parsed.success || crossProblems.length > 0) {
    const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
    return { ok: false, problems: [...problems, ...crossProblems] };
  }
  const e = parsed.data;
  return {
    ok: true,
    config: {
      http: { host: e.HTTP_HOST, port: e.HTTP_PORT },
      trustProxy:
        e.HTTP_TRUST_PROXY === 'false'
          ? false
          : /^\d+$/.test(e.HTTP_TRUST_PROXY)
            ? Number(e.HTTP_TRUST_PROXY)
            : e.HTTP_TRUST_PROXY.split(',').map((t) => t.trim()),
      httpLimits: {
        requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
        connectionTimeoutMs: e.HTTP_CONNECTION_TIMEOUT_MS,
        keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
        maxConnectionsPerIp: e.HTTP_MAX_CONNECTIONS_PER_IP,
      },
      sqlitePath: e.SQLITE_PATH,
      photosDir: e.PHOTOS_DIR ?? join(e.SQLITE_PATH === ':memory:' ? './data' : dirname(e.SQLITE_PATH), 'photos'),
      redisUrl: e.REDIS_URL,
      bullmqPrefix: e.BULLMQ_PREFIX,
      adminToken: e.ADMIN_TOKEN,
      trackingSecret: e.PUBLIC_LINK_SECRET ?? derivedTrackingSecret(e.ADMIN_TOKEN),
      simulatorEnabled: e.SIMULATOR_ENABLED,
      logLevel: e.LOG_LEVEL,
      catalogPath: e.CATALOG_PATH,
      calendarDir: e.CALENDAR_DIR,
      deadlines: {
        claimDays: e.DEADLINE_CLAIM_DAYS,
        deliveryDays: e.DEADLINE_DELIVERY_DAYS,
        feedbackDays: e.DEADLINE_FEEDBACK_DAYS,
        ratingDays: e.DEADLINE_RATING_DAYS,
        rectificationDays: e.DEADLINE_RECTIFICATION_DAYS,
        pickupDays: e.DEADLINE_PICKUP_DAYS,
        handlingDays: e.DEADLINE_HANDLING_DAYS,
        handbackDays: e.DEADLINE_HANDBACK_DAYS,
        materialsReturnDays: e.DEADLINE_MATERIALS_RETURN_DAYS,
        complaintDays: e.DEADLINE_COMPLAINT_DAYS,
        ratingReminderDays: e.RATING_REMINDER_DAYS,
      },
      alerts: {
        hours: parseWorkingHours(e.ALERT_HOURS)!,
        reminderDaysBefore: e.ALERT_REMINDER_DAYS.split(',').map((x) => Number(x.trim())),
      },
      digestMinute: parseClockTime(e.DIGEST_TIME)!,
      backup: {
        dir: e.BACKUP_DIR ?? join(e.SQLITE_PATH === ':memory:' ? './data' : dirname(e.SQLITE_PATH), 'backups'),
        keep: e.BACKUP_KEEP,
        minute: parseClockTime(e.BACKUP_TIME)!,
      },
      conversationResumeHours: e.CONVERSATION_RESUME_HOURS,
      botName: e.BOT_NAME,
      roles: {
        web: e.ROLE.includes('all') || e.ROLE.includes('web'),
        worker: e.ROLE.includes('all') || e.ROLE.includes('worker'),
        bot: e.WECHATY_PUPPET !== undefined && (e.ROLE.includes('all') || e.ROLE.includes('bot')),
      },
      outbox: { roomPerMinute: e.OUTBOX_ROOM_PER_MINUTE, personPerMinute: e.OUTBOX_PERSON_PER_MINUTE },
      jobLockMs: e.JOB_LOCK_SECONDS * 1000,
      ...channelConfig(e),
    },
  };
}

/** For logs: the configuration with secrets replaced. */
export function redactConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    adminToken: '[redacted]',
    trackingSecret: '[redacted]',
    ...redactChannelConfig(config),
    redisUrl: config.redisUrl?.replace(/\/\/([^@/]*)@/, '//[redacted]@'),
  };
}
