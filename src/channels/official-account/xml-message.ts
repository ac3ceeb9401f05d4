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
});

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
}

export type ParsedPush = { ok: true; push: OfficialAccountPush } | { ok: false; reason: string };

const FORBIDDEN = /<!DOCTYPE|<!ENTITY/i;

export function parsePush(body: string): ParsedPush {
  if (FORBIDDEN.test(body)) return { ok: false, reason: 'DOCTYPE or ENTITY declarations are not accepted' };
  let document: unknown;
  try {
    document = parser.parse(body, true);
  } catch (error) {
    return { ok: false, reason: `malformed XML: ${error instanceof Error ? error.message : String(error)}` };
  }
  const root = (document as { xml?: unknown } | null)?.xml;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return { ok: false, reason: 'the root element must be one <xml>' };
  const fields = pushSchema.safeParse(root);
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
    },
  };
}
