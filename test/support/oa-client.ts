import { XMLParser } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { computeSignature } from '../../src/channels/wechat/signature.ts';

/** Speaks to /wechat/official-account as WeChat's servers do (plain mode): signed pushes, passive replies read back. */

export const OA_PATH = '/wechat/official-account';

export interface OaClient {
  /** A text push; resolves with the passive reply's text ('' for `success`). */
  text(openId: string, content: string, msgId?: string): Promise<string>;
  /** Any push: `inner` is the XML after MsgType (Event, EventKey, MediaId…). */
  push(openId: string, msgType: string, inner: string, msgId?: string | null): Promise<{ status: number; reply: string }>;
  event(openId: string, event: string, inner?: string): Promise<string>;
}

const parser = new XMLParser({ parseTagValue: false, trimValues: false });

export function readPassiveReply(body: string): string {
  if (body === 'success' || body === '') return '';
  const xml = (parser.parse(body, true) as { xml?: { Content?: string } }).xml;
  return xml?.Content ?? '';
}

export function createOaClient(server: FastifyInstance, token: string, now: () => number): OaClient {
  let counter = 0;
  const push: OaClient['push'] = async (openId, msgType, inner, msgId) => {
    counter += 1;
    const timestamp = String(Math.floor(now() / 1000));
    // Events are keyed by sender + CreateTime: each push of this client gets its own.
    const at = String(Math.floor(now() / 1000) + counter);
    const nonce = `${300000 + counter}${Math.floor(Math.random() * 1e6)}`;
    const query = new URLSearchParams({ signature: computeSignature(token, timestamp, nonce), timestamp, nonce });
    const id = msgId === undefined ? `${Date.now()}${String(counter).padStart(4, '0')}` : msgId;
    const body =
      `<xml><ToUserName><![CDATA[gh_daiban]]></ToUserName><FromUserName><![CDATA[${openId}]]></FromUserName>` +
      `<CreateTime>${at}</CreateTime><MsgType><![CDATA[${msgType}]]></MsgType>${inner}${id ? `<MsgId>${id}</MsgId>` : ''}</xml>`;
    const r = await server.inject({ method: 'POST', url: `${OA_PATH}?${query.toString()}`, headers: { 'content-type': 'text/xml' }, payload: body });
    return { status: r.statusCode, reply: r.statusCode === 200 ? readPassiveReply(r.body) : r.body };
  };
  return {
    push,
    async text(openId, content, msgId) {
      const r = await push(openId, 'text', `<Content><![CDATA[${content}]]></Content>`, msgId);
      if (r.status !== 200) throw new Error(`webhook answered ${r.status}: ${r.reply}`);
      return r.reply;
    },
    async event(openId, event, inner = '') {
      const r = await push(openId, 'event', `<Event><![CDATA[${event}]]></Event>${inner}`, null);
      if (r.status !== 200) throw new Error(`webhook answered ${r.status}: ${r.reply}`);
      return r.reply;
    },
  };
}
