import type { InboundMessage } from '../../app/inbound-message.ts';
import type { OfficialAccountPush } from './xml-message.ts';

/**
 * What each kind of Official Account push means, as one inbound message or a channel-level action.
 * No IO here: the webhook carries out the result.
 * - text; voice by WeChat's recognition of it; location by its address; image as a photo for the
 *   resident's open errand;
 * - subscribe (follow) and SCAN open the conversation (greeting, or registration for a newcomer); a
 *   village's QR code (scene `village-<code>`, `qrscene_`-prefixed on a follow) pre-selects the village;
 * - CLICK on a menu button is handled as the words the button stands for (the menu file);
 * - unsubscribe forgets the channel identity; subscribe_msg_popup_event grants subscribe credits;
 * - other message kinds get a short "send words, voice or a photo" answer; other events are only logged.
 */

export const OFFICIAL_ACCOUNT_CHANNEL = 'official-account';
const SCENE_VILLAGE = /^(?:qrscene_)?village-([A-Za-z0-9_-]{1,40})$/;

export type PushAction =
  | { kind: 'message'; message: InboundMessage }
  /** Answer with a fixed text (a template key), nothing stored. */
  | { kind: 'say'; template: 'photo.unreadable' | 'photo.voice_unclear' }
  | { kind: 'forget'; openId: string }
  | { kind: 'credits'; openId: string; templateIds: string[] }
  /** Nothing to do; `note` says why, for the log. */
  | { kind: 'ignore'; note: string };

const NO_WORDS = new Set(['video', 'shortvideo', 'link', 'file', 'music', 'news', 'miniprogrampage']);
const QUIET_EVENTS = new Set([
  'view',
  'view_miniprogram',
  'templatesendjobfinish',
  'subscribe_msg_sent_event',
  'subscribe_msg_change_event',
  'location',
  'scancode_push',
  'scancode_waitmsg',
  'pic_sysphoto',
  'pic_photo_or_album',
  'pic_weixin',
  'location_select',
]);

export function villageOfScene(eventKey: string | null): string | null {
  return SCENE_VILLAGE.exec(eventKey ?? '')?.[1] ?? null;
}

export function pushAction(push: OfficialAccountPush, receivedAt: number, menu: ReadonlyMap<string, string>): PushAction {
  const base = {
    channel: OFFICIAL_ACCOUNT_CHANNEL,
    senderId: push.fromUser,
    roomId: null,
    // WeChat's retries of one push carry the same MsgId, or for events the same sender and time; the
    // event's name keeps two different events of one second apart (a follow, then a menu click).
    messageId: push.msgId ?? `${push.fromUser}${push.createTime}${push.event ?? ''}`,
    mentionsBot: false,
    receivedAt,
  };
  const words = (text: string): PushAction => ({ kind: 'message', message: { ...base, text } });
  switch (push.msgType) {
    case 'text':
      return words(push.content ?? '');
    case 'voice':
      return push.recognition ? words(push.recognition) : { kind: 'say', template: 'photo.voice_unclear' };
    case 'location':
      return push.location?.label ? words(push.location.label) : { kind: 'say', template: 'photo.unreadable' };
    case 'image':
      return push.mediaId
        ? { kind: 'message', message: { ...base, text: '', photo: { mediaId: push.mediaId, url: push.picUrl } } }
        : { kind: 'say', template: 'photo.unreadable' };
    case 'event':
      return eventAction(push, base, menu);
    default:
      return NO_WORDS.has(push.msgType) ? { kind: 'say', template: 'photo.unreadable' } : { kind: 'ignore', note: `unknown message type ${push.msgType}` };
  }
}

function eventAction(push: OfficialAccountPush, base: Omit<InboundMessage, 'text'>, menu: ReadonlyMap<string, string>): PushAction {
  switch (push.event) {
    case 'subscribe':
    case 'scan':
      return { kind: 'message', message: { ...base, text: '', opened: { villageCode: villageOfScene(push.eventKey) } } };
    case 'click': {
      const says = menu.get(push.eventKey ?? '');
      return says === undefined
        ? { kind: 'ignore', note: `menu key ${push.eventKey ?? ''} is not in the menu file` }
        : { kind: 'message', message: { ...base, text: says, menuClick: true } };
    }
    case 'unsubscribe':
      return { kind: 'forget', openId: push.fromUser };
    case 'subscribe_msg_popup_event': {
      const accepted = push.subscribeDecisions.filter((d) => d.status === 'accept').map((d) => d.templateId);
      return accepted.length
        ? { kind: 'credits', openId: push.fromUser, templateIds: accepted }
        : { kind: 'ignore', note: 'subscribe popup: nothing accepted' };
    }
    default:
      return { kind: 'ignore', note: QUIET_EVENTS.has(push.event ?? '') ? `event ${push.event ?? ''}` : `unknown event ${push.event ?? ''}` };
  }
}
