import type { Contact, Friendship, Message, Room, RoomInvitation, Wechaty, WechatyOptions } from 'wechaty';
import type { DirectoryCache } from '../../app/directory.ts';
import type { InboundHandler } from '../../app/inbound-handler.ts';
import type { BindCodeDesk, Logger, OutboxDispatch } from '../../app/ports.ts';
import { shanghaiDate, startOfShanghaiDay } from '../../calendar/local-date.ts';
import type { Config } from '../../config/config.ts';
import type { TemplateSet } from '../../conversation/templates.ts';
import type { Database } from '../../db/open-database.ts';
import { notificationsSentSince } from '../../db/wechaty-repository.ts';
import type { PhotoFiles, SavedPhoto } from '../../storage/photo-files.ts';
import { createContactLinks } from './contact-links.ts';
import { createFriendQuota } from './friend-quota.ts';
import { showLoginQr } from './login-qr.ts';
import { alertAdminsOfLogout, alertAdminsOfRelogin } from './logout-alert.ts';
import { readMessage, toInboundMessage, WECHATY_CHANNEL } from './message-conversion.ts';
import { reResolveLinks } from './re-resolution.ts';
import { answerRoomInvitation } from './room-invitations.ts';
import { createSendThrottle } from './send-throttle.ts';
import { createPacedSender, createWechatyChannel, type WechatyChannel } from './wechaty-channel.ts';

/**
 * The personal-WeChat session: builds the Wechaty bot (wechaty is imported here, only when the
 * channel is enabled, since it loads gRPC), shows the login QR code, re-resolves contacts and rooms
 * after every login, alerts the admins at a logout, turns each message into the one inbound shape
 * (or a bind code) and says the replies, paced like every send of the account; accepts friend
 * requests (up to a daily cap) and group invitations from staff (room-invitations.ts).
 */

export interface WechatySession {
  channel: WechatyChannel;
  /** The bot (tests drive the mock puppet through it). */
  bot: Wechaty;
  loggedIn(): boolean;
  /** Resolves once the contacts and rooms of the latest login are re-resolved. */
  resolved(): Promise<void>;
  /** Resolves once every message received so far is handled and its replies are said. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface WechatySessionDeps {
  config: NonNullable<Config['wechaty']>;
  botName: string;
  database: Database;
  directories: DirectoryCache;
  templates: TemplateSet;
  inbound: InboundHandler;
  dispatch: OutboxDispatch;
  /** `绑定 <code>` said privately or in a group. */
  bindCodes: BindCodeDesk;
  logger: Logger;
  /** The app's clock (receivedAt of messages, times in the database). */
  clock: () => number;
  /** A puppet instance instead of the package named in the config (tests: wechaty-puppet-mock). */
  puppet?: WechatyOptions['puppet'];
  /** Real time: message age and the pacing of sends (the puppet stamps messages with it). */
  wallClock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Where the QR code is drawn (the console). */
  print?: (text: string) => void;
  /** Where pictures residents send are kept (without it they are answered as unreadable). */
  photos?: PhotoFiles;
}

/** Message ids remembered against re-deliveries within a session (the inbox dedupes across restarts). */
const SEEN_IDS = 5_000;

export async function startWechatySession(deps: WechatySessionDeps): Promise<WechatySession> {
  const { database, logger, templates, config } = deps;
  const wallClock = deps.wallClock ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const print = deps.print ?? ((text: string) => process.stdout.write(`${text}\n`));

  const { WechatyBuilder, types } = await import('wechaty');
  const bot = WechatyBuilder.build({
    name: config.name,
    puppet: deps.puppet ?? (config.puppet as WechatyOptions['puppet']),
    ...(config.token ? { puppetOptions: { token: config.token } } : {}),
  });

  const now = wallClock();
  const throttle = createSendThrottle({
    gapMs: config.sendGapMs,
    jitterMs: config.jitterMs,
    dailyCap: config.dailyCap,
    now,
    sentToday: notificationsSentSince(database, WECHATY_CHANNEL, startOfShanghaiDay(shanghaiDate(now))),
  });
  const sender = createPacedSender(throttle, wallClock, sleep);
  const links = createContactLinks(database, deps.clock);

  const say = async (target: { kind: 'contact' | 'room'; id: string }, text: string): Promise<boolean> => {
    const found = target.kind === 'room' ? await bot.Room.find({ id: target.id }) : await bot.Contact.find({ id: target.id });
    if (!found) return false;
    await found.say(text);
    return true;
  };
  const channel = createWechatyChannel({ database, account: { loggedIn: () => bot.isLoggedIn, say }, throttle, sender, wallClock, logger });

  let loginAt = Number.POSITIVE_INFINITY;
  let logins = 0;
  let resolving: Promise<void> = Promise.resolve();
  const reResolve = async (): Promise<string[]> => {
    const contacts = (await bot.Contact.findAll()).map((c: Contact) => ({ id: c.id, name: c.name(), alias: () => c.alias() }));
    const rooms = await Promise.all((await bot.Room.findAll()).map(async (r: Room) => ({ id: r.id, topic: await r.topic() })));
    const outcome = await reResolveLinks(database, { contacts, rooms }, deps.clock());
    const lost = outcome.lost.map((l) => `${l.name} (${l.why})`);
    if (lost.length) logger.warn({ lost }, 'wechaty: some contacts or rooms were not found again after the login; they need new bind codes');
    logger.info({ kept: outcome.kept, moved: outcome.moved, lost: lost.length }, 'wechaty: contacts and rooms re-resolved after the login');
    return lost;
  };

  bot.on('error', (error: Error) => logger.error({ err: error }, 'wechaty: error'));
  bot.on('scan', (qrcode: string, status: number) => void showLoginQr(qrcode, status, { logger, print }));
  bot.on('login', (user: Contact) => {
    loginAt = wallClock();
    logins++;
    logger.info({ account: user.name(), relogin: logins > 1 }, logins > 1 ? 'wechaty: logged in again' : 'wechaty: logged in');
    const again = logins > 1;
    const account = user.name();
    resolving = reResolve()
      .then(async (lost) => {
        if (again)
          await alertAdminsOfRelogin(
            { database, directories: deps.directories, templates, dispatch: deps.dispatch, logger },
            { account, at: deps.clock(), lost },
          );
      })
      .catch((error: unknown) => logger.error({ err: error }, 'wechaty: re-resolving contacts and rooms after the login failed'));
  });
  bot.on('logout', (user: Contact, reason?: string) => {
    void alertAdminsOfLogout(
      { database, directories: deps.directories, templates, dispatch: deps.dispatch, logger },
      { account: user.name(), reason: reason ?? '', at: deps.clock() },
    ).catch((error: unknown) => logger.error({ err: error }, 'wechaty: the logout alert failed'));
  });

  const seen = new Set<string>();
  /** Messages are read one after another (so a conversation is handled in order); replies go out paced, in that order. */
  let intake: Promise<void> = Promise.resolve();
  let sending = new Set<Promise<unknown>>();
  /** The picture of a message, kept in the photo store. */
  const keepPicture = async (message: Message): Promise<SavedPhoto> => {
    if (!deps.photos) return { ok: false, reason: 'no photo store' };
    try {
      return deps.photos.save(await (await message.toFileBox()).toBuffer());
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  };
  const onMessage = async (message: Message) => {
    if (seen.has(message.id)) return logger.debug({ messageId: message.id }, 'wechaty: repeated message id ignored');
    seen.add(message.id);
    if (seen.size > SEEN_IDS) seen.delete(seen.values().next().value as string);
    await resolving;
    const received = await readMessage(message, { textType: types.Message.Text, imageType: types.Message.Image, loginAt, wallNow: wallClock() });
    if (received.kind === 'ignored') return logger.debug({ messageId: message.id, reason: received.reason }, 'wechaty: message ignored');
    const talker = message.talker();
    const room = message.room();
    const code = received.kind === 'photo' ? null : deps.bindCodes.parse(received.text);
    const sayBack = (text: string, keys: { room: string | null; sender: string | null }) => {
      const sent = sender
        .paced('reply', () => (room ? room.say(text, talker) : talker.say(text)))
        .catch((error: unknown) => logger.warn({ err: error, ...keys }, 'wechaty: a reply could not be said'))
        .finally(() => sending.delete(sent));
      sending.add(sent);
    };
    if (room && code === null) {
      // A group nobody bound: nothing of it is stored, and the bot stays quiet there except to say so when spoken to.
      const known = links.knownRoomKey(room.id);
      if (!known || !deps.directories.current().room(WECHATY_CHANNEL, known)) {
        if (received.kind === 'room' && received.mentionsBot) sayBack(templates.render('bind.room_not_bound', {}), { room: known ?? null, sender: null });
        return;
      }
    }
    const senderKey = await links.contactKey({ id: talker.id, name: talker.name(), alias: () => talker.alias() });
    const roomKey = room ? links.roomKey({ id: room.id, topic: await room.topic() }) : null;
    const reply = (text: string) => sayBack(text, { room: roomKey, sender: senderKey });

    if (code !== null) {
      const result = deps.bindCodes.redeem({
        channel: WECHATY_CHANNEL,
        code,
        place: room ? 'room' : 'private',
        key: roomKey ?? senderKey,
        now: deps.clock(),
      });
      logger.info({ outcome: result.outcome, room: roomKey, sender: senderKey }, 'wechaty: bind code');
      return reply(result.reply);
    }
    let photoFile: string | undefined;
    if (received.kind === 'photo') {
      const kept = await keepPicture(message);
      if (!kept.ok) {
        logger.warn({ messageId: message.id, reason: kept.reason }, 'wechaty: a picture could not be kept');
        return reply(templates.render('photo.unreadable', { county: deps.directories.current().county }));
      }
      photoFile = kept.file;
    }
    const result = await deps.inbound.submit(
      toInboundMessage(received, { sender: senderKey, room: roomKey, ...(photoFile ? { photoFile } : {}) }, deps.clock()),
    );
    if (result.duplicate) return logger.debug({ messageId: message.id }, 'wechaty: message handled before; not answered again');
    for (const r of result.replies) reply(r.text);
  };
  // A resident must be the account's friend to chat privately: requests are accepted (up to the day's
  // cap, paced like every action of the account) and the new friend is greeted as on a follow.
  const friends = createFriendQuota(config.friendCap);
  const onFriendship = async (friendship: Friendship) => {
    if (friendship.type() !== types.Friendship.Receive) return;
    const contact = friendship.contact();
    if (!friends.take(wallClock())) return logger.warn({ contact: contact.name() }, "wechaty: a friend request waits: today's WECHATY_FRIEND_CAP is reached");
    await sender.paced('reply', () => friendship.accept());
    const senderKey = await links.contactKey({ id: contact.id, name: contact.name(), alias: () => contact.alias() });
    logger.info({ sender: senderKey }, 'wechaty: friend request accepted');
    const result = await deps.inbound.submit({
      channel: WECHATY_CHANNEL,
      senderId: senderKey,
      roomId: null,
      text: '',
      messageId: `friendship-${friendship.id}`,
      mentionsBot: false,
      receivedAt: deps.clock(),
      opened: { villageCode: null },
    });
    for (const r of result.replies) {
      const sent = sender
        .paced('reply', () => contact.say(r.text))
        .catch((error: unknown) => logger.warn({ err: error, sender: senderKey }, 'wechaty: the greeting could not be said'))
        .finally(() => sending.delete(sent));
      sending.add(sent);
    }
  };
  bot.on('friendship', (friendship: Friendship) => {
    intake = intake
      .then(() => onFriendship(friendship))
      .catch((error: unknown) => logger.error({ err: error }, 'wechaty: a friend request could not be handled'));
  });
  bot.on('room-invite', (invitation: RoomInvitation) => {
    const answering = { directories: deps.directories, links, sender, templates, logger, botName: deps.botName };
    intake = intake
      .then(() => answerRoomInvitation(answering, invitation).then(() => undefined))
      .catch((error: unknown) => logger.error({ err: error }, 'wechaty: a group invitation could not be answered'));
  });
  bot.on('message', (message: Message) => {
    intake = intake
      .then(() => onMessage(message))
      .catch((error: unknown) => logger.error({ err: error, messageId: message.id }, 'wechaty: a message could not be handled'));
  });

  try {
    await bot.start();
  } catch (error) {
    throw new Error(
      `wechaty could not start with WECHATY_PUPPET=${config.puppet} (is the package installed? npm install ${config.puppet}): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  logger.info({ puppet: deps.puppet ? 'injected' : config.puppet, name: config.name }, 'wechaty: session started; waiting for the login');

  return {
    channel,
    bot,
    loggedIn: () => bot.isLoggedIn,
    resolved: () => resolving,
    async idle() {
      await intake;
      await Promise.all([...sending]);
    },
    async stop() {
      await intake;
      await Promise.all([...sending]);
      sending = new Set();
      await bot.stop().catch((error: unknown) => logger.warn({ err: error }, 'wechaty: stop failed'));
    },
  };
}
