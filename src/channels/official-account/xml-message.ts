import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';

/**
 * The Official Account's push body: `<xml>` with flat fields, values mostly in CDATA. Parsed safely:
 * a body that declares a DOCTYPE or an entity is refused before parsing, entities are never
 * expanded, and every value stays a string (`parseTagValue: false`: a MsgId is a 64-bit number and
 * " 0012 " must not become 12).
 */

const parser = new XMLParser({
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: false,
  htmlEntities: false,
});

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

const FORBIDDEN = /<!DOCTYPE|<!ENTITY/i;

export function parseRoot(body: string): { ok: true; root: object } | { ok: false; reason: string } {
  if (FORBIDDEN.test(body)) return { ok: false, reason: 'DOCTYPE or ENTITY declarations are not accepted' };
  let document: unknown;
  try {
    document = parser.parse(body, true);
  } catch (error) {
    return { ok: false, reason: `malformed XML: ${error instanceof Error ? error.message : String(error)}` };
  }
  const root = (document as { xml?: unknown } | null)?.xml;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return { ok: false, reason: 'the root element must be one <xml>' };
  return { ok: true, root };
}

const envelopeSchema = z.object({ Encrypt: field.min(1).max(60_000) });

/**
 * The outer body of a safe- or compatible-mode push: `<xml><ToUserName/><Encrypt>BASE64</Encrypt></xml>`
 * (compatible mode also carries the plain fields, which are ignored: only the encrypted copy counts).
 */
export function parseEncryptedEnvelope(body: string): { ok: true; encrypt: string } | { ok: false; reason: string } {
  const parsed = parseRoot(body);
  if (!parsed.ok) return parsed;
  const fields = envelopeSchema.safeParse(parsed.root);
  if (!fields.success) return { ok: false, reason: 'an encrypted push needs one <Encrypt> element' };
  return { ok: true, encrypt: fields.data.Encrypt.trim() };
}

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
