import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileBox } from 'file-box';
import { types } from 'wechaty';
import { BOT_ID, startWechatyDriver, type WechatyDriver } from '../../support/wechaty-driver.ts';
import { fileErrandByChat, homesteadAnswers } from '../../support/intake.ts';
import { auth } from '../../support/test-app.ts';

/**
 * The Wechaty channel through wechaty-puppet-mock against a whole Daiban (real SQLite and Redis): a
 * resident's private intake, an agent bound by code claiming in the bound agents room, bind codes
 * refused, and the messages the channel must ignore.
 */

let driver: WechatyDriver;
beforeAll(async () => {
  driver = await startWechatyDriver();
  // An admin, reachable on another channel, for the logout alert.
  const roster = JSON.parse(readFileSync('data/demo-roster.json', 'utf8')) as { people: object[] };
  roster.people.push({ id: 'gao', name: '高文', roles: [{ role: 'admin' }], identities: [{ channel: 'simulator', id: 'admin-gao' }] });
  const loaded = await driver.app.daiban.server.inject({ method: 'PUT', url: '/api/admin/roster', headers: auth, payload: roster });
  expect(loaded.statusCode).toBe(200);
  // The village's agent and its agents' group are bound by one-time codes before anything is filed.
  await driver.bind('agent-li');
  await driver.room('sq-agents@chatroom');
}, 30_000);
afterAll(async () => {
  await driver?.close();
});

const registration = ['同意', '刘春花', '石桥村', '1', '没有', '0'];

describe('the Wechaty channel', () => {
  it('takes a resident who bound nothing through registration and a request in a private chat', async () => {
    const chunhua = driver.contact('刘春花');
    const [welcome] = await driver.send(chunhua, '宅基地建房');
    expect(welcome).toContain('【个人信息说明】');
    let last: string[] = [];
    for (const answer of [...registration, ...homesteadAnswers]) last = await driver.send(chunhua, answer);
    expect(last.join('\n')).toMatch(/DB\d{9,}/);
    const identity = driver.app.daiban.database.sqlite
      .prepare<[], { externalId: string; name: string }>(
        "SELECT ci.external_id AS externalId, p.name FROM channel_identities ci JOIN people p ON p.id = ci.person_id WHERE ci.channel = 'wechaty' AND p.name = '刘春花'",
      )
      .all();
    // The identity is our stable key, not the puppet's contact id.
    expect(identity).toHaveLength(1);
    expect(identity[0]?.externalId).toMatch(/^wxc-[0-9a-f]{12}$/);
  });

  it('lets an agent bound by code claim the errand in the agents room bound by code, by @mention', async () => {
    const room = await driver.room('sq-agents@chatroom');
    const receipt = /DB\d{9,}/.exec(driver.heard(driver.contact('刘春花')).join('\n'))?.[0];
    expect(receipt).toBeDefined();
    // The new request's notice reached the bound room through the outbox worker of the bot.
    await driver.app.settle();
    await expect.poll(() => driver.heard(room).join('\n'), { timeout: 10_000 }).toContain(receipt!);

    const replies = await driver.sayInRoom!('sq-agents@chatroom', 'agent-li', `接单 ${receipt!}`, true);
    expect(replies).toEqual([expect.stringMatching(new RegExp(`^@李明 ✅ ${receipt!} .*由李明接单`))]);
    const claimed = await driver.notificationsTo('刘春花', 1);
    expect(claimed.join('\n')).toContain('已由代办员李明接单');
    // A command by word alone (no @mention) works in the group too.
    const listing = await driver.sayInRoom!('sq-agents@chatroom', 'agent-li', '待办', false);
    expect(listing.join('\n')).toContain(receipt!);
  });

  it('keeps a picture a resident sends privately on their open errand, as a file an admin can open', async () => {
    const chunhua = driver.contact('刘春花');
    const receipt = /DB\d{9,}/.exec(driver.heard(chunhua).join('\n'))?.[0];
    expect(receipt).toBeDefined();
    const png = Buffer.from('89504e470d0a1a0a0000000d494844520000000100000001', 'hex');
    const [answer] = await driver.send(chunhua, FileBox.fromBase64(png.toString('base64'), 'hukou.png'));
    expect(answer).toContain(receipt!);
    const errand = await driver.app.daiban.server.inject({ method: 'GET', url: `/api/errands/${receipt!}`, headers: auth });
    const photos = errand.json<{ photos: { channel: string; stored: boolean; href: string }[] }>().photos;
    expect(photos).toMatchObject([{ channel: 'wechaty', stored: true }]);
    const shown = await driver.app.daiban.server.inject({ method: 'GET', url: photos[0]!.href, headers: auth });
    expect(shown.headers['content-type']).toBe('image/png');
    expect(shown.rawPayload.equals(png)).toBe(true);
    // Something that only calls itself a picture is not kept.
    const [refused] = await driver.send(chunhua, FileBox.fromBase64(Buffer.from('not a picture').toString('base64'), 'fake.png'));
    expect(refused).toMatch(/看不了/);
  });

  it("ignores the bot's own messages, messages from before the login or older than two minutes, and repeated ids", async () => {
    const inboxRows = () => driver.app.daiban.database.sqlite.prepare<[], { n: number }>("SELECT count(*) AS n FROM inbox WHERE channel = 'wechaty'").get()!.n;
    const before = inboxRows();
    const stranger = driver.contact('王大爷');
    const emit = (payload: { id: string; timestamp: number; text: string; talkerId?: string }) => {
      driver.mocker.MessageMock.create({ talkerId: stranger.id, listenerId: BOT_ID, type: types.Message.Text, ...payload });
      driver.puppet.emit('message', { messageId: payload.id });
    };
    emit({ id: 'old-1', timestamp: Date.now() - 3 * 60_000, text: '你好' });
    emit({ id: 'own-1', timestamp: Date.now(), text: '你好', talkerId: BOT_ID });
    await new Promise((r) => setTimeout(r, 300));
    await driver.app.daiban.wechaty!.idle();
    expect(driver.heard(stranger)).toEqual([]);
    expect(inboxRows()).toBe(before);

    emit({ id: 'twice-1', timestamp: Date.now(), text: '你好' });
    // The puppet delivers the same message id again.
    driver.puppet.emit('message', { messageId: 'twice-1' });
    await new Promise((r) => setTimeout(r, 300));
    await driver.app.daiban.wechaty!.idle();
    expect(driver.heard(stranger)).toHaveLength(1);
    expect(driver.heard(stranger)[0]).toContain('【个人信息说明】');
    expect(inboxRows()).toBe(before + 1);
  });

  it('refuses wrong, used, expired and misplaced bind codes with a clear answer', async () => {
    const someone = driver.contact('路人甲');
    expect(await driver.send(someone, '绑定 ZZZZZZ')).toEqual([expect.stringContaining('这个绑定码不对')]);
    expect(await driver.send(someone, '绑定')).toEqual([expect.stringContaining('6位绑定码')]);
    const used = await driver.issueCode({ person: 'wang' });
    expect(await driver.send(driver.contact('wang-xiaojun'), `绑定 ${used.toLowerCase()}`)).toEqual([expect.stringContaining('绑定成功：王小军')]);
    expect(await driver.send(someone, `绑定 ${used}`)).toEqual([expect.stringContaining('已经用过了')]);
    const expiring = await driver.issueCode({ person: 'liu', hours: 1 });
    driver.app.clock.now += 2 * 3_600_000;
    expect(await driver.send(someone, `绑定：${expiring}`)).toEqual([expect.stringContaining('已经过期')]);
    const roomCode = await driver.issueCode({ room: { kind: 'centre', township: 'qs' } });
    expect(await driver.send(someone, `绑定 ${roomCode}`)).toEqual([expect.stringContaining('是给群用的')]);
    const room = await driver.room('sq-agents@chatroom');
    const personCode = await driver.issueCode({ person: 'zhao' });
    expect(await driver.send(someone, `绑定 ${personCode}`, room)).toEqual([expect.stringContaining('是给个人用的')]);
    // Nobody was bound by any of these.
    const bound = driver.app.daiban.database.sqlite
      .prepare<[], { n: number }>("SELECT count(*) AS n FROM channel_identities WHERE channel = 'wechaty' AND person_id IN ('liu', 'zhao')")
      .get()!.n;
    expect(bound).toBe(0);
  });

  it('stays quiet in a group nobody bound, except to say so when @mentioned', async () => {
    const li = driver.contact('agent-li');
    const group = driver.mocker.createRoom({ id: 'unbound-1@chatroom', topic: '闲聊群', memberIdList: [BOT_ID, li.id] });
    const passerby = driver.contact('只在闲聊群的人');
    expect(await driver.send(passerby, '大家好', group)).toEqual([]);
    // Nothing of an unbound group, or of who talks only there, is stored.
    const stored = driver.app.daiban.database.sqlite
      .prepare<[], { name: string }>('SELECT name FROM wechaty_links')
      .all()
      .map((r) => r.name);
    expect(stored).not.toContain('闲聊群');
    expect(stored).not.toContain('只在闲聊群的人');
    const said: string[] = [];
    group.on('message', (m) => {
      if (m.talker().id === BOT_ID) said.push(m.text() ?? '');
    });
    await driver.send(li, `@${driver.app.config.botName}\u2005接单 DB261201001`, group, [driver.botContact]);
    await expect.poll(() => said).toEqual([expect.stringContaining('本群还没有绑定')]);
  });

  it('accepts a friend request and greets the new friend with the privacy notice', async () => {
    const stranger = driver.mocker.createContact({ id: 'wxid-stranger-1', name: '路人甲' });
    const heard: string[] = [];
    stranger.on('message', (m) => {
      if (m.talker().id === BOT_ID) heard.push(m.text() ?? '');
    });
    const accepted: string[] = [];
    // The mock puppet keeps no friend requests of its own: this one is a request received from the stranger.
    const puppet = driver.puppet as unknown as { friendshipRawPayload(id: string): Promise<object>; friendshipAccept(id: string): Promise<void> };
    puppet.friendshipRawPayload = async (id) => ({ id, contactId: stranger.id, hello: '我想办医保', timestamp: Date.now(), ticket: 'ticket-1', type: 2 });
    puppet.friendshipAccept = async (id) => {
      accepted.push(id);
    };
    driver.puppet.emit('friendship', { friendshipId: 'friend-request-1' });
    await expect.poll(() => accepted).toEqual(['friend-request-1']);
    await expect.poll(() => heard.join('\n')).toMatch(/个人信息说明/);
  });

  it("joins a group when bound staff invite it, tells the inviter to bind it, and leaves anyone else's invitation unanswered", async () => {
    const li = driver.contact('agent-li');
    const stranger = driver.mocker.createContact({ id: 'wxid-stranger-2', name: '路人乙' });
    const invitation = (id: string, inviterId: string, topic: string) => ({
      id,
      inviterId,
      topic,
      avatar: '',
      invitation: '',
      memberCount: 3,
      memberIdList: [],
      timestamp: Date.now(),
      receiverId: BOT_ID,
    });
    const invitations: Record<string, object> = {
      'invite-stranger': invitation('invite-stranger', stranger.id, '卖保险群'),
      'invite-li': invitation('invite-li', li.id, '石桥村代办二群'),
    };
    const accepted: string[] = [];
    // The mock puppet keeps no invitations of its own: these two were received by the account.
    const puppet = driver.puppet as unknown as { roomInvitationRawPayload(id: string): Promise<object>; roomInvitationAccept(id: string): Promise<void> };
    puppet.roomInvitationRawPayload = async (id) => invitations[id] ?? {};
    puppet.roomInvitationAccept = async (id) => {
      accepted.push(id);
    };
    const heardBefore = driver.heard(li).length;
    driver.puppet.emit('room-invite', { roomInvitationId: 'invite-stranger' });
    driver.puppet.emit('room-invite', { roomInvitationId: 'invite-li' });
    await expect.poll(() => accepted).toEqual(['invite-li']);
    await expect.poll(() => driver.heard(li).slice(heardBefore).join('\n')).toMatch(/已进群“石桥村代办二群”.*绑定 码/);
    await driver.app.daiban.wechaty!.idle();
    expect(accepted).toEqual(['invite-li']);
  });

  it('alerts the admins at a logout and at the re-login, holds notifications while logged out, and finds people and rooms again', async () => {
    const session = driver.app.daiban.wechaty!;
    await driver.puppet.logout();
    await expect.poll(() => session.loggedIn()).toBe(false);
    const alert = await driver.app.waitForOutbox({ to: 'admin-gao' }, 1);
    expect(alert[0]?.text).toContain('已退出登录');

    // A request filed meanwhile (through another channel) waits for the bound room.
    const receipt = await fileErrandByChat(driver.app, 'zhang-xiuhua', '宅基地建房', homesteadAnswers);
    const pending = () =>
      driver.app.daiban.database.sqlite.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE channel = 'wechaty' AND status = 'pending'").get()!
        .n;
    await new Promise((r) => setTimeout(r, 1500));
    expect(pending()).toBeGreaterThan(0);
    expect(
      driver.app.daiban.database.sqlite
        .prepare<[], { attempts: number }>("SELECT max(attempts) AS attempts FROM outbox WHERE channel = 'wechaty' AND status = 'pending'")
        .get()!.attempts,
    ).toBe(0);

    // The next session has new ids for everyone: the old contacts and group are gone.
    const oldRoom = await driver.room('sq-agents@chatroom');
    const oldLi = driver.contact('agent-li');
    driver.mocker.cacheContactPayload.delete(oldLi.id);
    driver.mocker.cacheRoomPayload.delete(oldRoom.id);
    const newLi = driver.mocker.createContact({ id: 'wxid-li-second-session', name: '李明' });
    const newRoom = driver.mocker.createRoom({ id: 'sq-second-session@chatroom', topic: oldRoom.payload.topic, memberIdList: [BOT_ID, newLi.id] });
    const inRoom: string[] = [];
    newRoom.on('message', (m) => {
      if (m.talker().id === BOT_ID) inRoom.push(m.text() ?? '');
    });
    driver.mocker.login(driver.botContact);
    await expect.poll(() => session.loggedIn()).toBe(true);
    await session.resolved();
    // The admins hear that the account is back.
    const back = await driver.app.waitForOutbox({ to: 'admin-gao' }, 2);
    expect(back[1]?.text).toContain('已重新登录');

    // The held notice reaches the group under its new id; the agent is still known there.
    await expect.poll(() => inRoom.join('\n'), { timeout: 15_000 }).toContain(receipt);
    const claimed = await driver.send(newLi, `@${driver.app.config.botName}\u2005接单 ${receipt}`, newRoom, [driver.botContact]);
    await expect.poll(() => inRoom.join('\n')).toMatch(new RegExp(`@李明 ✅ ${receipt} .*由李明接单`));
    expect(claimed).toEqual([]);
  }, 40_000);
});
