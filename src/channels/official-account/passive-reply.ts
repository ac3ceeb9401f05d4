import { fitText } from '../wechat/message-split.ts';

/**
 * The one passive reply an Official Account push may get: a text message as XML, with the user and
 * the account swapped. Text goes in CDATA; a "]]>" inside it is split across two CDATA sections.
 */

export function cdata(text: string): string {
  return `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

export function renderTextReply(reply: { toUser: string; fromUser: string; createTime: number; content: string }): string {
  return (
    `<xml><ToUserName>${cdata(reply.toUser)}</ToUserName><FromUserName>${cdata(reply.fromUser)}</FromUserName>` +
    `<CreateTime>${Math.floor(reply.createTime)}</CreateTime><MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(reply.content)}</Content></xml>`
  );
}

/** Safe mode: the passive reply encrypted, signed over our own timestamp and nonce. */
export function renderEncryptedReply(envelope: { encrypt: string; msgSignature: string; timestamp: string; nonce: string }): string {
  return (
    `<xml><Encrypt>${cdata(envelope.encrypt)}</Encrypt><MsgSignature>${cdata(envelope.msgSignature)}</MsgSignature>` +
    `<TimeStamp>${envelope.timestamp}</TimeStamp><Nonce>${cdata(envelope.nonce)}</Nonce></xml>`
  );
}

/** Community guidance: keep one passive text under about 2 KB. */
export const PASSIVE_REPLY_MAX_BYTES = 2000;

/**
 * Joins the handler's texts with a blank line and cuts the result below `maxBytes` at a line
 * boundary (../wechat/message-split.ts). `rest` is what did not fit: the webhook sends it through the
 * customer-service API.
 */
export function fitPassiveReply(texts: readonly string[], maxBytes = PASSIVE_REPLY_MAX_BYTES): { text: string; rest: string } {
  return fitText(texts, maxBytes);
}
