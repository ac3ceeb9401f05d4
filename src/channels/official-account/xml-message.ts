import { z } from 'zod';
import { parseRoot } from '../wechat/xml-envelope.ts';

/**
 * The Official Account's push body: `<xml>` with flat fields, values mostly in CDATA, parsed safely
 * by the WeChat toolkit (../wechat/xml-envelope.ts), then read field by field.
 */

const field = z.string();

/** The fields this adapter reads; the others are ignored. */
const pushSchema = z.object({
  ToUserName: field.min(1),
  FromUserName: field.min(1),
  CreateTime: field.regex(/^\d{1,12}$/),
  MsgType: field.min(1),
  MsgId: field.regex(/^\d{1,20}$/).optional(),
  Content: field.optional(),
  Event: field.optional(),
  EventKey: field.optional(),
  Recognition: field.optional(),
  MediaId: field.max(200).optional(),
  PicUrl: field.max(1000).optional(),
  Label: field.max(500).optional(),
  Location_X: field.max(30).optional(),
  Location_Y: field.max(30).optional(),
  SubscribeMsgPopupEvent: z.unknown().optional(),
});

/** One template's answer in a subscribe-message popup (`subscribe_msg_popup_event`). */
export interface SubscribeDecision {
  templateId: string;
  /** accept, reject… as sent, lower case. */
  status: string;
}

export interface OfficialAccountPush {
  /** The account (gh_…). */
  toUser: string;
  /** The user's OpenID. */
  fromUser: string;
  /** Unix seconds, as sent. */
  createTime: string;
  /** Lower case: text, image, voice, event… */
  msgType: string;
  msgId: string | null;
  content: string | null;
  /** Lower case event name for `event` pushes. */
  event: string | null;
  /** A menu key (CLICK), a QR scene (`qrscene_…` on subscribe, the bare scene on SCAN), a URL (VIEW). */
  eventKey: string | null;
  /** Voice: WeChat's speech recognition of it, when the account has recognition on. */
  recognition: string | null;
  /** Image and voice: the media id (temporary media, kept by WeChat for three days). */
  mediaId: string | null;
  picUrl: string | null;
  /** Location: the address WeChat gives, and the coordinates. */
  location: { label: string; x: string; y: string } | null;
  /** subscribe_msg_popup_event: each template's answer. */
  subscribeDecisions: SubscribeDecision[];
}

export type ParsedPush = { ok: true; push: OfficialAccountPush } | { ok: false; reason: string };

export function parsePush(body: string): ParsedPush {
  const parsed = parseRoot(body);
  if (!parsed.ok) return parsed;
  const fields = pushSchema.safeParse(parsed.root);
  if (!fields.success) return { ok: false, reason: `fields: ${fields.error.issues.map((i) => i.path.join('.')).join(', ')}` };
  const f = fields.data;
  return {
    ok: true,
    push: {
      toUser: f.ToUserName.trim(),
      fromUser: f.FromUserName.trim(),
      createTime: f.CreateTime,
      msgType: f.MsgType.trim().toLowerCase(),
      msgId: f.MsgId ?? null,
      content: f.Content ?? null,
      event: f.Event?.trim().toLowerCase() ?? null,
      eventKey: f.EventKey?.trim() || null,
      recognition: f.Recognition?.trim() || null,
      mediaId: f.MediaId?.trim() || null,
      picUrl: f.PicUrl?.trim() || null,
      location: f.Location_X !== undefined || f.Label !== undefined ? { label: f.Label?.trim() ?? '', x: f.Location_X ?? '', y: f.Location_Y ?? '' } : null,
      subscribeDecisions: readDecisions(f.SubscribeMsgPopupEvent),
    },
  };
}

const decisionSchema = z.object({ TemplateId: field.min(1).max(200), SubscribeStatusString: field.max(50) });

/** `<SubscribeMsgPopupEvent><List>…</List><List>…</List></SubscribeMsgPopupEvent>`: one or more List elements. */
function readDecisions(value: unknown): SubscribeDecision[] {
  const list = (value as { List?: unknown } | null | undefined)?.List;
  const items = Array.isArray(list) ? list : list === undefined ? [] : [list];
  return items.slice(0, 50).flatMap((item) => {
    const d = decisionSchema.safeParse(item);
    return d.success ? [{ templateId: d.data.TemplateId.trim(), status: d.data.SubscribeStatusString.trim().toLowerCase() }] : [];
  });
}
