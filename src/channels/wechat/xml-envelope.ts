import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';

/**
 * The XML bodies WeChat's servers post (the Official Account's pushes, WeCom's callbacks): one
 * `<xml>` root with flat fields, values mostly in CDATA. Parsed safely: a body that declares a
 * DOCTYPE or an entity is refused before parsing, entities are never expanded, and every value stays
 * a string (`parseTagValue: false`: a MsgId is a 64-bit number and " 0012 " must not become 12).
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

const envelopeSchema = z.object({ Encrypt: z.string().min(1).max(60_000) });

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
