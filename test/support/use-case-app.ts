import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type CalendarBook } from '../../src/app/calendar-book.ts';
import { type CatalogCache } from '../../src/app/catalog-cache.ts';
import { type DirectoryCache } from '../../src/app/directory.ts';
import { createInboundHandler, type InboundHandler } from '../../src/app/inbound-handler.ts';
import type { InboundResult } from '../../src/app/inbound-message.ts';
import { loadRoster } from '../../src/app/load-roster.ts';
import type { OutboxDispatch } from '../../src/app/ports.ts';
import { createSimulatorChannel } from '../../src/channels/simulator-channel.ts';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { type ConversationEngine } from '../../src/conversation/engine.ts';
import type { TemplateSet } from '../../src/conversation/templates.ts';
import { openDatabase, type Database } from '../../src/db/open-database.ts';
import { markOutboxSent, outboxStatuses, sentMessages, type OutboxRow } from '../../src/db/outbox-repository.ts';
import type { RosterCounts } from '../../src/db/roster-repository.ts';
import { START } from './test-clock.ts';
import { composeAppParts, loadValidatedContent, type Content } from '../../src/compose/app-parts.ts';
import { deliveryKey } from '../../src/jobs/delivery-key.ts';

/**
 * The application without the process, for use-case tests: a fresh SQLite file with the real
 * migrations, the catalogue seeded, the demo roster loaded, calendars, templates and the
 * conversation engine built as the process builds them (src/compose/app-parts.ts), and the real inbound handler — with
 * fakes for our own ports only: an outbox dispatch that records the ids it is handed, alerts that
 * record the errands changed, a clock the test moves. No HTTP, no Redis, no workers.
 *
 * People talk as through the simulator channel (the same message shape as POST
 * /api/simulator/messages), and read what reached them as GET /api/simulator/outbox shows it.
 * Notifications are delivered only by `settle()` (or `waitForOutbox`), standing in for the outbox
 * worker: every row handed to the dispatch fake and still pending goes through the real simulator
 * channel and is marked sent, in the order the rows were written. A row the application wrote but
 * never handed over stays pending — a test of it fails as it should.
 *
 * Every real constructor is called here and only here: when one's dependencies change, this file
 * changes, not the tests. Tests whose subject is HTTP, a channel's protocol, the queues, Redis or the
 * process use startTestApp (test-app.ts) instead.
 */

export interface OutboxMessage {
  id: number;
  to: string | null;
  room: string | null;
  text: string;
  at: string;
}

export type OutboxQuery = { to?: string; room?: string; after?: number };

export interface UseCaseApp {
  config: Config;
  clock: { now: number };
  dir: string;
  database: Database;
  inbound: InboundHandler;
  templates: TemplateSet;
  catalogs: CatalogCache;
  directories: DirectoryCache;
  calendars: CalendarBook;
  engine: ConversationEngine;
  /** Outbox ids handed to the dispatch port after each commit, in order. */
  dispatched: number[];
  /** The errand ids each commit told the alerts port had changed, one entry per call. */
  alerted: number[][];
  /** Loads a roster as PUT /api/admin/roster does (the demo roster when none is given). */
  loadRoster(roster?: unknown): RosterCounts;
  /** The demo roster (data/demo-roster.json), a fresh copy to change. */
  demoRoster(): DemoRoster;
  /**
   * A message through the simulator channel, as POST /api/simulator/messages takes it ("@<bot name>"
   * in the text mentions the bot); the clock is not moved. Resolves with the handler's result.
   */
  send(message: { from: string; room?: string | null; text: string; id?: string; mention?: boolean }): Promise<InboundResult>;
  /** Moves the clock on a minute and sends a private (or room) message; returns the reply texts. */
  say(from: string, text: string, room?: string | null): Promise<string[]>;
  /** What reached a person or a room on the simulator, in sending order (ids are the sending order). */
  outbox(query: OutboxQuery): Promise<OutboxMessage[]>;
  /** Delivers what waits (settle), then returns the outbox there; fails when it holds fewer than n messages. */
  waitForOutbox(query: OutboxQuery, n: number): Promise<OutboxMessage[]>;
  /** Delivers every dispatched notification still pending, as the outbox worker would. */
  settle(): Promise<void>;
  /** Every outbox row written for a person or room on the simulator, whatever its status, oldest first. */
  written(query: { to: string } | { room: string }): OutboxRow[];
  close(): void;
}

/** A roster as data/demo-roster.json holds it, loosely typed for tests to change (loadRoster validates it). */
export interface DemoRoster {
  people: Record<string, unknown>[];
  rooms: Record<string, unknown>[];
  [key: string]: unknown;
}

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const root = new URL('../../', import.meta.url);
const demoRosterText = readFileSync(new URL('data/demo-roster.json', root), 'utf8');

/** Flows and templates are read and validated once per test file: they are data, never changed by a test. */
let content: Content | null = null;

export function openUseCaseApp(options: { env?: Record<string, string>; roster?: boolean } = {}): UseCaseApp {
  const dir = mkdtempSync(join(tmpdir(), 'daiban-use-case-'));
  const loaded = loadConfig({ ADMIN_TOKEN, SIMULATOR_ENABLED: 'true', SQLITE_PATH: join(dir, 'daiban.db'), LOG_LEVEL: 'silent', ...options.env });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const config = loaded.config;
  const clock = { now: START };
  const now = () => clock.now;
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

  const database = openDatabase(config.sqlitePath);
  const parts = composeAppParts(database, config, logger, now, (content ??= loadValidatedContent()));
  const { templates, catalogs, directories, calendars, engine } = parts;

  // The fakes of our ports.
  const dispatched: number[] = [];
  const dispatch: OutboxDispatch = {
    enqueue: async (ids) => void dispatched.push(...ids),
  };
  const alerted: number[][] = [];
  const alerts = { changed: (ids: ReadonlySet<number>) => void alerted.push([...ids]) };

  const inbound = createInboundHandler({ context: parts.contexts, alerts, dispatch, logger });
  const simulator = createSimulatorChannel(database, now);
  const mention = `@${config.botName}`;

  const app: UseCaseApp = {
    config,
    clock,
    dir,
    database,
    inbound,
    templates,
    catalogs,
    directories,
    calendars,
    engine,
    dispatched,
    alerted,
    loadRoster: (roster = JSON.parse(demoRosterText)) => loadRoster(database, roster, clock.now),
    demoRoster: () => JSON.parse(demoRosterText) as DemoRoster,
    send: ({ from, room = null, text, id, mention: mentioned }) =>
      inbound.submit({
        channel: simulator.name,
        senderId: from,
        roomId: room,
        text: text.split(mention).join(' '),
        messageId: id ?? null,
        mentionsBot: mentioned ?? text.includes(mention),
        receivedAt: clock.now,
      }),
    async say(from, text, room = null) {
      clock.now += 60_000;
      return (await app.send({ from, room, text })).replies.map((r) => r.text);
    },
    async outbox(query) {
      const rows = sentMessages(database, {
        channel: simulator.name,
        ...(query.room !== undefined ? { room: query.room } : { to: query.to ?? '' }),
        after: query.after ?? 0,
        limit: 200,
      });
      return rows.map((r) => ({ id: r.sentSeq ?? r.id, to: r.recipient, room: r.room, text: r.text, at: new Date(r.sentAt ?? r.createdAt).toISOString() }));
    },
    async waitForOutbox(query, n) {
      await app.settle();
      const messages = await app.outbox(query);
      if (messages.length < n) throw new Error(`fewer than ${n} messages for ${JSON.stringify(query)}: ${JSON.stringify(messages.map((m) => m.text))}`);
      return messages;
    },
    async settle() {
      const waiting = outboxStatuses(database, [...new Set(dispatched)])
        .filter((row) => row.status === 'pending' && row.channel === simulator.name)
        .sort((a, b) => a.id - b.id);
      for (const row of waiting) {
        await simulator.send({
          outboxId: row.id,
          dedupeKey: deliveryKey(row.id),
          recipient: row.recipient,
          room: row.room,
          text: row.text,
          errandId: row.errandId,
        });
        database.write(() => markOutboxSent(database, row.id, clock.now));
      }
    },
    written(query) {
      const [where, value] = 'room' in query ? ['room = ?', query.room] : ['recipient = ? AND room IS NULL', query.to];
      return database.sqlite
        .prepare<[string, string], OutboxRow>(
          `SELECT id, channel, recipient, room, text, kind, errand_id AS errandId, dedupe_key AS dedupeKey, status, attempts,
             created_at AS createdAt, sent_at AS sentAt, sent_seq AS sentSeq, last_error AS lastError
           FROM outbox WHERE channel = ? AND ${where} ORDER BY id`,
        )
        .all(simulator.name, value);
    },
    close() {
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (options.roster !== false) app.loadRoster();
  return app;
}
