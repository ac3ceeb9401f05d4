import { z } from 'zod';
import type { InboundMessage } from '../../app/inbound-message.ts';
import { parseRoot } from '../wechat/xml-envelope.ts';
import { WECOM_CHANNEL } from './app-message-channel.ts';

/**
 * A WeCom app callback once decrypted: `<xml>` with ToUserName (the CorpID), FromUserName (the
 * member's UserID), CreateTime, MsgType, and for text Content and MsgId, AgentID. Parsed by the
 * Official Account's safe parser (DOCTYPE and ENTITY refused, values kept as strings).
 */

const field = z.string();
const callbackSchema = z.object({
  ToUserName: field.min(1),
  FromUserName: field.min(1).max(200),
  CreateTime: field.regex(/^\d{1,12}$/),
  MsgType: field.min(1),
  MsgId: field.regex(/^\d{1,20}$/).optional(),
  Content: field.optional(),
  Event: field.optional(),
  AgentID: field.regex(/^\s*\d{1,10}\s*$/).optional(),
});

export interface WeComCallback {
  corpId: string;
  userId: string;
  createTime: string;
  /** Lower case: text, image, voice, event… */
  msgType: string;
  msgId: string | null;
  content: string | null;
  event: string | null;
  agentId: number | null;
}

export function parseCallback(xml: string): { ok: true; callback: WeComCallback } | { ok: false; reason: string } {
  const parsed = parseRoot(xml);
  if (!parsed.ok) return parsed;
  const fields = callbackSchema.safeParse(parsed.root);
  if (!fields.success) return { ok: false, reason: `fields: ${fields.error.issues.map((i) => i.path.join('.')).join(', ')}` };
  const f = fields.data;
  return {
    ok: true,
    callback: {
      corpId: f.ToUserName.trim(),
      userId: f.FromUserName.trim(),
      createTime: f.CreateTime,
      msgType: f.MsgType.trim().toLowerCase(),
      msgId: f.MsgId ?? null,
      content: f.Content ?? null,
      event: f.Event?.trim().toLowerCase() ?? null,
      agentId: f.AgentID === undefined ? null : Number(f.AgentID),
    },
  };
}

/**
 * A member's text as the one inbound shape. The replies go out later through the app message API;
 * WeCom's retries of one callback are de-duplicated by MsgId.
 */
export function toInboundMessage(callback: WeComCallback, receivedAt: number): InboundMessage {
  return {
    channel: WECOM_CHANNEL,
    senderId: callback.userId,
    roomId: null,
    text: callback.content ?? '',
    messageId: callback.msgId ?? `${callback.userId}${callback.createTime}`,
    mentionsBot: false,
    receivedAt,
    replyLater: true,
  };
}
