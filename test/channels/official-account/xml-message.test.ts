import { describe, expect, it } from 'vitest';
import { pushAction } from '../../../src/channels/official-account/push-handling.ts';
import { parsePush } from '../../../src/channels/official-account/xml-message.ts';

const text = (extra = '<MsgId>23637352235060880</MsgId>') =>
  `<xml><ToUserName><![CDATA[gh_abc]]></ToUserName><FromUserName><![CDATA[oUser123]]></FromUserName>` +
  `<CreateTime>1714036504</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ 0012 ]]></Content>${extra}</xml>`;

describe('parsing an Official Account push', () => {
  it('keeps every value a string (MsgId, a number-like content)', () => {
    const r = parsePush(text());
    expect(r.ok && r.push).toMatchObject({
      toUser: 'gh_abc',
      fromUser: 'oUser123',
      createTime: '1714036504',
      msgType: 'text',
      msgId: '23637352235060880',
      content: ' 0012 ',
      event: null,
    });
  });

  it('refuses DOCTYPE and ENTITY declarations before parsing', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>${text().replace(' 0012 ', '&x;')}`;
    const refused = parsePush(xxe);
    expect(!refused.ok && refused.reason).toContain('DOCTYPE');
    expect(parsePush(`<!doctype xml>${text()}`).ok).toBe(false);
    expect(parsePush(text().replace('<MsgId>', '<!ENTITY a "b"><MsgId>')).ok).toBe(false);
  });

  it('refuses malformed XML, a wrong root, repeated or missing fields', () => {
    expect(parsePush('<xml><ToUserName>a</xml>').ok).toBe(false);
    expect(parsePush('not xml').ok).toBe(false);
    expect(parsePush('').ok).toBe(false);
    expect(parsePush(text().replace(/xml>/g, 'root>').replace('<xml>', '<root>')).ok).toBe(false);
    expect(parsePush(text('<FromUserName>second</FromUserName>')).ok).toBe(false);
    expect(parsePush(text().replace(/<CreateTime>.*<\/CreateTime>/, '')).ok).toBe(false);
  });

  it('normalises the message type and event name', () => {
    const r = parsePush(text().replace('[text]', '[EVENT]').replace('<MsgId>23637352235060880</MsgId>', '<Event><![CDATA[CLICK]]></Event>'));
    expect(r.ok && [r.push.msgType, r.push.event, r.push.msgId]).toEqual(['event', 'click', null]);
  });
});

describe('the inbound message of a push', () => {
  it('uses the OpenID as sender and the MsgId, or FromUserName + CreateTime, as message id', () => {
    const r = parsePush(text());
    if (!r.ok) throw new Error(r.reason);
    const message = (push: typeof r.push) => {
      const action = pushAction(push, 42, new Map());
      if (action.kind !== 'message') throw new Error(action.kind);
      return action.message;
    };
    expect(message(r.push)).toEqual({
      channel: 'official-account',
      senderId: 'oUser123',
      roomId: null,
      text: ' 0012 ',
      messageId: '23637352235060880',
      mentionsBot: false,
      receivedAt: 42,
    });
    expect(message({ ...r.push, msgId: null }).messageId).toBe('oUser1231714036504');
  });
});
