import type { InboundMessage } from '../../app/inbound-message.ts';

/**
 * What a Wechaty message means to Daiban, decided at the edge: ignored (the bot's own, not text,
 * replayed after a restart or too old, empty), a text said privately or in a room, with the
 * @mention of the bot taken out, or a picture sent privately. Only the few methods used here are required of the message, so
 * plain objects stand in for it in tests.
 */

export const WECHATY_CHANNEL = 'wechaty';
/** Messages older than this (by their own time against the wall clock) are replays: ignored. */
export const MAX_MESSAGE_AGE_MS = 2 * 60_000;
/** Clock skew allowed between the puppet's timestamps and ours when comparing with the login time. */
const LOGIN_SLACK_MS = 5_000;

export interface TalkerLike {
  id: string;
  name(): string;
  alias(): Promise<string | undefined>;
}

export interface RoomLike {
  id: string;
  topic(): Promise<string>;
}

export interface MessageLike {
  id: string;
  self(): boolean;
  type(): number;
  text(): string;
  date(): Date;
  talker(): TalkerLike;
  room(): RoomLike | undefined;
  mentionSelf(): Promise<boolean>;
  mentionText(): Promise<string>;
}

export type IgnoreReason = 'self' | 'not_text' | 'before_login' | 'too_old' | 'empty';

export type Received =
  | { kind: 'ignored'; reason: IgnoreReason }
  /** A picture sent privately (a material): its file is read from the message by the session. */
  | { kind: 'photo'; messageId: string; talker: TalkerLike }
  | { kind: 'private'; messageId: string; talker: TalkerLike; text: string }
  | { kind: 'room'; messageId: string; talker: TalkerLike; room: RoomLike; text: string; mentionsBot: boolean };

export async function readMessage(
  message: MessageLike,
  context: { textType: number; imageType?: number; loginAt: number; wallNow: number },
): Promise<Received> {
  if (message.self()) return { kind: 'ignored', reason: 'self' };
  const room = message.room();
  const photo = context.imageType !== undefined && message.type() === context.imageType && !room;
  if (message.type() !== context.textType && !photo) return { kind: 'ignored', reason: 'not_text' };
  const sentAt = message.date().getTime();
  if (sentAt < context.loginAt - LOGIN_SLACK_MS) return { kind: 'ignored', reason: 'before_login' };
  if (context.wallNow - sentAt > MAX_MESSAGE_AGE_MS) return { kind: 'ignored', reason: 'too_old' };
  const talker = message.talker();
  if (photo) return { kind: 'photo', messageId: message.id, talker };
  if (!room) {
    const text = message.text().trim();
    return text ? { kind: 'private', messageId: message.id, talker, text } : { kind: 'ignored', reason: 'empty' };
  }
  const mentionsBot = await message.mentionSelf();
  const text = (mentionsBot ? await message.mentionText() : message.text()).trim();
  if (!text && !mentionsBot) return { kind: 'ignored', reason: 'empty' };
  return { kind: 'room', messageId: message.id, talker, room, text, mentionsBot };
}

/**
 * The one inbound shape, with the stable keys of the talker and the room; a photo with the name of
 * its file in the photo store (also its media id: a personal-WeChat picture has no lasting id).
 */
export function toInboundMessage(
  received: Exclude<Received, { kind: 'ignored' }>,
  keys: { sender: string; room: string | null; photoFile?: string },
  receivedAt: number,
): InboundMessage {
  const base = { channel: WECHATY_CHANNEL, senderId: keys.sender, roomId: keys.room, messageId: received.messageId, receivedAt };
  if (received.kind === 'photo')
    return { ...base, text: '', mentionsBot: false, ...(keys.photoFile ? { photo: { mediaId: keys.photoFile, url: null, file: keys.photoFile } } : {}) };
  return { ...base, text: received.text, mentionsBot: received.kind === 'room' && received.mentionsBot };
}
