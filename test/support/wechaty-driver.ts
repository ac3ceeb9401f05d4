import type { FileBox } from 'file-box';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import type { Message } from 'wechaty';
import type { ChannelDriver } from './channel-driver.ts';
import { auth, startTestApp, type TestApp } from './test-app.ts';
import { until } from './until.ts';

/**
 * The Wechaty channel driven through wechaty-puppet-mock against a whole Daiban (ROLE bot in the same
 * process): people are mock contacts who talk to the bot account, rooms are mock group chats. Roster
 * people and rooms are bound the way production binds them: an admin issues a one-time code
 * (POST /api/admin/bind-codes) and the person (privately) or someone in the group sends `绑定 <code>`.
 */

type ContactMock = ReturnType<mock.Mocker['createContact']>;
type RoomMock = ReturnType<mock.Mocker['createRoom']>;

export const BOT_ID = 'wxid-daiban-bot';

interface Inbox {
  texts: string[];
  /** Texts up to here were returned by a say(); later ones are notifications. */
  consumed: number;
}

export interface WechatyDriver extends ChannelDriver {
  mocker: mock.Mocker;
  puppet: PuppetMock;
  botContact: ContactMock;
  /** The mock contact of a person (created on first use, named after the roster person). */
  contact(person: string): ContactMock;
  /** The mock room of a roster room id (created on first use; bound by code when `bind`). */
  room(roomId: string): Promise<RoomMock>;
  /** Issues a bind code through the admin API. */
  issueCode(body: object): Promise<string>;
  /** Sends a private message and waits until the bot has handled it; resolves with what came back. */
  send(from: ContactMock, text: string | FileBox, to?: RoomMock, mentions?: ContactMock[]): Promise<string[]>;
  /** Everything the bot has said to a contact or in a room so far. */
  heard(target: ContactMock | RoomMock): string[];
  /** Waits until the bot has handled every message sent so far and said its replies. */
  settle(): Promise<void>;
}

export async function startWechatyDriver(options: { env?: Record<string, string> } = {}): Promise<WechatyDriver> {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const app: TestApp = await startTestApp({
    env: { WECHATY_PUPPET: 'wechaty-puppet-mock', WECHATY_SEND_GAP_MS: '0', WECHATY_SEND_JITTER_MS: '0', ...options.env },
    bot: true,
    wechatyPuppet: puppet,
  });
  const session = app.daiban.wechaty;
  if (!session) throw new Error('the wechaty session did not start');
  const botContact = mocker.createContact({ id: BOT_ID, name: app.config.botName });
  mocker.login(botContact);
  await until(() => session.loggedIn(), 'the mock login', 10_000, 20);
  await session.resolved();

  // Every message the bot receives from someone else: counted, so a send can wait until it is handled.
  let received = 0;
  session.bot.on('message', (m: Message) => {
    if (!m.self()) received++;
  });
  let sent = 0;

  const inboxes = new Map<string, Inbox>();
  const inboxOf = (id: string) => inboxes.get(id) ?? inboxes.set(id, { texts: [], consumed: 0 }).get(id)!;
  const listen = (target: ContactMock | RoomMock) =>
    target.on('message', (m) => {
      if (m.talker().id === BOT_ID && (target === m.room() || (!m.room() && m.listener()?.id === target.id))) inboxOf(target.id).texts.push(m.text() ?? '');
    });

  const sql = app.daiban.database.sqlite;
  const personOf = (name: string) =>
    sql
      .prepare<[string], { personId: string; name: string }>(
        "SELECT ci.person_id AS personId, p.name AS name FROM channel_identities ci JOIN people p ON p.id = ci.person_id WHERE ci.channel = 'simulator' AND ci.external_id = ?",
      )
      .get(name);

  const contacts = new Map<string, ContactMock>();
  const contact = (person: string) => {
    const known = contacts.get(person);
    if (known) return known;
    const created = mocker.createContact({ id: `wxid-${person}-${contacts.size}`, name: personOf(person)?.name ?? person });
    listen(created);
    contacts.set(person, created);
    return created;
  };

  const settle = async () => {
    await until(() => received >= sent, 'the bot to receive every message', 10_000, 20);
    await session.idle();
  };
  const send = async (from: ContactMock, text: string | FileBox, to?: RoomMock, mentions: ContactMock[] = []) => {
    const inbox = inboxOf((to ?? from).id);
    const mark = inbox.texts.length;
    sent++;
    from.say(text, mentions).to(to ?? botContact);
    await settle();
    // The mock delivers the bot's sends through its own events: give them a moment.
    await new Promise((r) => setTimeout(r, 30));
    inbox.consumed = inbox.texts.length;
    return inbox.texts.slice(mark);
  };

  const issueCode = async (body: object) => {
    const r = await app.daiban.server.inject({ method: 'POST', url: '/api/admin/bind-codes', headers: auth, payload: body });
    if (r.statusCode !== 200) throw new Error(`bind code ${r.statusCode}: ${r.body}`);
    return r.json<{ code: string }>().code;
  };

  const rooms = new Map<string, RoomMock>();
  const room = async (roomId: string) => {
    const known = rooms.get(roomId);
    if (known) return known;
    const row = sql
      .prepare<[string], { kind: string; village: string | null; township: string | null }>(
        "SELECT kind, village_code AS village, township_code AS township FROM rooms WHERE channel = 'simulator' AND external_id = ?",
      )
      .get(roomId);
    if (!row) throw new Error(`no room ${roomId} in the roster`);
    const binder = contact('room-binder');
    const created = mocker.createRoom({
      id: `${roomId.replace(/@.*$/, '')}-${rooms.size}@chatroom`,
      topic: `${roomId} 群`,
      memberIdList: [BOT_ID, ...[...contacts.values()].map((c) => c.id)],
    });
    listen(created);
    rooms.set(roomId, created);
    const code = await issueCode(
      row.kind === 'centre' ? { room: { kind: 'centre', township: row.township } } : { room: { kind: 'village_agents', village: row.village } },
    );
    const [answer] = await send(binder, `绑定 ${code}`, created);
    if (!answer?.includes('绑定成功')) throw new Error(`room ${roomId} was not bound: ${answer ?? '(no answer)'}`);
    return created;
  };

  return {
    channel: 'wechaty',
    app,
    mocker,
    puppet,
    botContact,
    contact,
    room,
    issueCode,
    send,
    settle,
    heard: (target) => inboxOf(target.id).texts,
    async bind(person) {
      const found = personOf(person);
      if (!found) throw new Error(`${person} is not a roster person`);
      const code = await issueCode({ person: found.personId });
      const [answer] = await send(contact(person), `绑定 ${code}`);
      if (!answer?.includes('绑定成功')) throw new Error(`${person} was not bound: ${answer ?? '(no answer)'}`);
    },
    say: (person, text) => send(contact(person), text),
    async sayInRoom(roomId, person, text, mention) {
      const r = await room(roomId);
      return send(contact(person), mention ? `@${app.config.botName}\u2005${text}` : text, r, mention ? [botContact] : []);
    },
    async notificationsTo(person, atLeast) {
      const inbox = inboxOf(contact(person).id);
      await until(() => inbox.texts.length - inbox.consumed >= atLeast, `${atLeast} notification(s) to ${person}`, 10_000, 20);
      return inbox.texts.slice(inbox.consumed);
    },
    async close() {
      await app.close();
    },
  };
}
