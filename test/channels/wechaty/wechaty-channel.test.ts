import { describe, expect, it } from 'vitest';
import { createContactLinks } from '../../../src/channels/wechaty/contact-links.ts';
import { reResolveLinks } from '../../../src/channels/wechaty/re-resolution.ts';
import { createSendThrottle } from '../../../src/channels/wechaty/send-throttle.ts';
import { createPacedSender, createWechatyChannel, WechatyOfflineError, type Account } from '../../../src/channels/wechaty/wechaty-channel.ts';
import { PermanentDeliveryError } from '../../../src/app/ports.ts';
import { openDatabase } from '../../../src/db/open-database.ts';
import { linkByKey } from '../../../src/db/wechaty-repository.ts';

/** The sending side and the stable keys of the Wechaty channel, with a fake account and a real (in-memory) database. */

const NOON = Date.parse('2026-12-01T12:00:00+08:00');
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function setup(options: { dailyCap?: number } = {}) {
  const database = openDatabase(':memory:');
  const links = createContactLinks(database, () => NOON);
  const said: { target: { kind: string; id: string }; text: string }[] = [];
  let online = true;
  const present = new Set<string>(['c-1', 'r-1@chatroom']);
  const account: Account = {
    loggedIn: () => online,
    say: async (target, text) => {
      if (!present.has(target.id)) return false;
      said.push({ target, text });
      return true;
    },
  };
  const errors: string[] = [];
  const logger = { ...silent, error: (_: object, msg?: string) => void errors.push(msg ?? '') };
  const throttle = createSendThrottle({ gapMs: 1000, jitterMs: 0, dailyCap: options.dailyCap ?? 10, now: NOON });
  const slept: number[] = [];
  const wall = { now: NOON };
  const sender = createPacedSender(
    throttle,
    () => wall.now,
    async (ms) => void slept.push(ms),
  );
  const channel = createWechatyChannel({ database, account, throttle, sender, wallClock: () => wall.now, logger });
  return { database, links, channel, said, slept, errors, wall, present, setOnline: (v: boolean) => (online = v) };
}

const message = (over: { recipient?: string | null; room?: string | null }) => ({
  outboxId: 1,
  dedupeKey: 'daiban-outbox-1',
  recipient: null,
  room: null,
  text: '通知',
  ...over,
});

describe('the Wechaty outbound channel', () => {
  it('sends to the current id of a stable key, paced by the account throttle', async () => {
    const t = setup();
    const key = await t.links.contactKey({ id: 'c-1', name: '李明' });
    const room = t.links.roomKey({ id: 'r-1@chatroom', topic: '石桥村代办群' });
    await t.channel.send(message({ recipient: key }));
    await t.channel.send(message({ room }));
    expect(t.said).toEqual([
      { target: { kind: 'contact', id: 'c-1' }, text: '通知' },
      { target: { kind: 'room', id: 'r-1@chatroom' }, text: '通知' },
    ]);
    expect(t.slept).toEqual([1000]);
  });

  it('fails retryably while logged out, and tells the outbox to hold messages back meanwhile', async () => {
    const t = setup();
    const key = await t.links.contactKey({ id: 'c-1', name: '李明' });
    t.setOnline(false);
    expect(t.channel.holdMs()).toBeGreaterThan(0);
    const error = await t.channel.send(message({ recipient: key })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatyOfflineError);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(t.said).toEqual([]);
    t.setOnline(true);
    expect(t.channel.holdMs()).toBe(0);
    await t.channel.send(message({ recipient: key }));
    expect(t.said).toHaveLength(1);
  });

  it('refuses for good a key Daiban never made, and retryably one not found in this session', async () => {
    const t = setup();
    await expect(t.channel.send(message({ recipient: 'wxc-unknown' }))).rejects.toBeInstanceOf(PermanentDeliveryError);
    const gone = await t.links.contactKey({ id: 'c-gone', name: '走了的人' });
    const error = await t.channel.send(message({ recipient: gone })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
  });

  it('holds notifications once the daily cap is reached, logging it once', async () => {
    const t = setup({ dailyCap: 1 });
    const key = await t.links.contactKey({ id: 'c-1', name: '李明' });
    await t.channel.send(message({ recipient: key }));
    const wait = t.channel.holdMs();
    expect(wait).toBe(Date.parse('2026-12-02T00:00:00+08:00') - NOON);
    t.channel.holdMs();
    expect(t.errors).toHaveLength(1);
    expect(t.errors[0]).toContain('WECHATY_DAILY_CAP');
    await expect(t.channel.send(message({ recipient: key }))).rejects.toThrow(/daily cap/);
    expect(t.said).toHaveLength(1);
  });
});

describe('re-resolving contacts and rooms after a login', () => {
  it('keeps ids that still exist, moves links to the one contact or room of the same name, uses the alias between namesakes, and drops the rest', async () => {
    const t = setup();
    const stays = await t.links.contactKey({ id: 'c-stays', name: '张三' });
    const moves = await t.links.contactKey({ id: 'c-old', name: '李明' });
    const twin = await t.links.contactKey({ id: 'c-twin', name: '王芳', alias: async () => '石桥王芳' });
    const ambiguous = await t.links.contactKey({ id: 'c-amb', name: '刘强' });
    const vanished = await t.links.contactKey({ id: 'c-vanished', name: '赵四' });
    const room = t.links.roomKey({ id: 'r-old@chatroom', topic: '石桥村代办群' });

    const outcome = await reResolveLinks(
      t.database,
      {
        contacts: [
          { id: 'c-stays', name: '张三' },
          { id: 'c-new', name: '李明' },
          { id: 'c-w1', name: '王芳', alias: async () => '白鹤王芳' },
          { id: 'c-w2', name: '王芳', alias: async () => '石桥王芳' },
          { id: 'c-q1', name: '刘强' },
          { id: 'c-q2', name: '刘强' },
        ],
        rooms: [{ id: 'r-new@chatroom', topic: '石桥村代办群' }],
      },
      NOON,
    );
    expect(outcome.kept).toBe(1);
    expect(outcome.moved).toBe(3);
    expect(outcome.lost.map((l) => [l.name, l.why])).toEqual([
      ['刘强', 'ambiguous'],
      ['赵四', 'not_found'],
    ]);
    const idOf = (key: string) => linkByKey(t.database, key)?.wechatyId;
    expect([idOf(stays), idOf(moves), idOf(twin), idOf(ambiguous), idOf(vanished), idOf(room)]).toEqual([
      'c-stays',
      'c-new',
      'c-w2',
      null,
      null,
      'r-new@chatroom',
    ]);
    // A message from the moved contact finds the same stable key.
    expect(await t.links.contactKey({ id: 'c-new', name: '李明' })).toBe(moves);
  });
});
