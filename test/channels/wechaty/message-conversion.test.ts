import { describe, expect, it } from 'vitest';
import { readMessage, toInboundMessage, type MessageLike } from '../../../src/channels/wechaty/message-conversion.ts';
import { parseBindCommand } from '../../../src/app/bind-codes.ts';

/** Wechaty messages into the one inbound shape, with plain objects in place of wechaty's. */

const TEXT = 7;
const NOW = Date.parse('2026-12-01T10:00:00Z');
const context = { textType: TEXT, loginAt: NOW - 60 * 60_000, wallNow: NOW };

function message(
  over: Partial<{ self: boolean; type: number; text: string; at: number; room: boolean; mentioned: boolean; mentionText: string }> = {},
): MessageLike {
  const o = { self: false, type: TEXT, text: '你好', at: NOW - 1000, room: false, mentioned: false, mentionText: '', ...over };
  return {
    id: 'm-1',
    self: () => o.self,
    type: () => o.type,
    text: () => o.text,
    date: () => new Date(o.at),
    talker: () => ({ id: 'c-1', name: () => '李明', alias: async () => undefined }),
    room: () => (o.room ? { id: 'r@chatroom', topic: async () => '石桥村代办群' } : undefined),
    mentionSelf: async () => o.mentioned,
    mentionText: async () => o.mentionText,
  };
}

describe('reading a Wechaty message', () => {
  it.each([
    ['the bot itself', { self: true }, 'self'],
    ['an image', { type: 6 }, 'not_text'],
    ['from before the login', { at: context.loginAt - 10_000 }, 'before_login'],
    ['older than two minutes', { at: NOW - 2 * 60_000 - 1 }, 'too_old'],
    ['blank', { text: '   ' }, 'empty'],
  ])('ignores a message %s', async (_, over, reason) => {
    expect(await readMessage(message(over), context)).toEqual({ kind: 'ignored', reason });
  });

  it('takes a picture sent privately as a photo with its file, and ignores one sent in a group or a stale one', async () => {
    const withImages = { ...context, imageType: 6 };
    const photo = await readMessage(message({ type: 6, text: '' }), withImages);
    expect(photo).toMatchObject({ kind: 'photo', messageId: 'm-1' });
    if (photo.kind === 'ignored') throw new Error('unexpected');
    expect(toInboundMessage(photo, { sender: 'wxc-1', room: null, photoFile: `${'a'.repeat(64)}.png` }, 42)).toEqual({
      channel: 'wechaty',
      senderId: 'wxc-1',
      roomId: null,
      text: '',
      messageId: 'm-1',
      mentionsBot: false,
      receivedAt: 42,
      photo: { mediaId: `${'a'.repeat(64)}.png`, url: null, file: `${'a'.repeat(64)}.png` },
    });
    expect(await readMessage(message({ type: 6, room: true }), withImages)).toEqual({ kind: 'ignored', reason: 'not_text' });
    expect(await readMessage(message({ type: 6, at: NOW - 3 * 60_000 }), withImages)).toEqual({ kind: 'ignored', reason: 'too_old' });
  });

  it('takes a private text as it is, and a room text without the @mention of the bot', async () => {
    const privately = await readMessage(message({ text: ' 宅基地建房 ' }), context);
    expect(privately).toMatchObject({ kind: 'private', messageId: 'm-1', text: '宅基地建房' });
    const inRoom = await readMessage(
      message({ room: true, mentioned: true, text: '@代办助手\u2005接单 DB261201001', mentionText: '接单 DB261201001' }),
      context,
    );
    expect(inRoom).toMatchObject({ kind: 'room', text: '接单 DB261201001', mentionsBot: true });
    const notMentioned = await readMessage(message({ room: true, text: '接单 DB261201001' }), context);
    expect(notMentioned).toMatchObject({ kind: 'room', text: '接单 DB261201001', mentionsBot: false });
    if (inRoom.kind === 'ignored') throw new Error('unexpected');
    expect(toInboundMessage(inRoom, { sender: 'wxc-1', room: 'wxr-1' }, 42)).toEqual({
      channel: 'wechaty',
      senderId: 'wxc-1',
      roomId: 'wxr-1',
      text: '接单 DB261201001',
      messageId: 'm-1',
      mentionsBot: true,
      receivedAt: 42,
    });
  });
});

describe('the bind command', () => {
  it.each([
    ['绑定 K7M2QX', 'K7M2QX'],
    ['绑定k7m2qx', 'K7M2QX'],
    ['绑定：Ｋ７Ｍ２ＱＸ', 'K7M2QX'],
    ['  绑定  k7m 2qx ', 'K7M2QX'],
    ['绑定', ''],
    ['我要绑定', null],
    ['宅基地建房', null],
  ])('reads %j as %j', (text, code) => {
    expect(parseBindCommand(text)).toBe(code);
  });
});
