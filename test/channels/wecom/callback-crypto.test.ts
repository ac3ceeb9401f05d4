import { decrypt as wecomDecrypt, encrypt as wecomEncrypt, getSignature } from '@wecom/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMsgSignature, createMessageCrypto } from '../../../src/channels/wechat/message-crypto.ts';
import { checkMsgSignature } from '../../../src/channels/wechat/signature.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

/** WeCom's callback encryption: the public URL-check vector, and our crypto against @wecom/crypto. */

const TOKEN = '123456';
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const CORP_ID = 'wx49f0ab532d5d035a';
const URL_CHECK = {
  timestamp: '1411443780',
  nonce: '437374425',
  msg_signature: 'dd6b9c95b495b3f7e2901bfbc76c664930ffdb96',
  echostr: '4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==',
};
const ours = createMessageCrypto({ appId: CORP_ID, encodingAesKey: KEY });

describe('WeCom callback crypto', () => {
  it('checks the URL-check vector’s signature and decrypts its echostr to what @wecom/crypto reads', () => {
    const at = Number(URL_CHECK.timestamp) * 1000;
    expect(
      checkMsgSignature(TOKEN, { msgSignature: URL_CHECK.msg_signature, timestamp: URL_CHECK.timestamp, nonce: URL_CHECK.nonce }, URL_CHECK.echostr, at),
    ).toEqual({ ok: true });
    const theirs = wecomDecrypt(KEY, URL_CHECK.echostr);
    expect(theirs.id).toBe(CORP_ID);
    const decrypted = ours.decrypt(URL_CHECK.echostr);
    expect(decrypted).toEqual({ ok: true, message: theirs.message, appId: CORP_ID, key: 'current' });
    expect(decrypted.ok && decrypted.message.length).toBeGreaterThan(0);
  });

  it('reproduces the public encryption vector (random prefix 1234567890123456)', () => {
    const reply =
      '<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n' +
      '<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>';
    const encrypt = ours.encrypt(reply, Buffer.from('1234567890123456'));
    expect(encrypt).toBe(wecomEncrypt(KEY, reply, CORP_ID, Buffer.from('1234567890123456')));
    expect(encrypt.startsWith('9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk')).toBe(true);
    expect(computeMsgSignature(TOKEN, '1411525903', '461056294', encrypt)).toBe('407518b7649e86ef23978113f92d27afa9296533');
  });

  it('agrees with @wecom/crypto both ways, across lengths around the 32-byte blocks and multi-byte text', () => {
    for (let n = 0; n < 80; n++) {
      const message = `<xml><Content><![CDATA[${'接单'.repeat(n % 7)}${'x'.repeat(n)}]]></Content></xml>`;
      const random = Buffer.alloc(16, n);
      const mine = ours.encrypt(message, random);
      expect(wecomDecrypt(KEY, mine)).toEqual({ message, id: CORP_ID, random });
      const theirs = wecomEncrypt(KEY, message, CORP_ID, random);
      expect(theirs).toBe(mine);
      expect(ours.decrypt(theirs)).toMatchObject({ ok: true, message });
      expect(computeMsgSignature(TOKEN, '1700000000', String(n), mine)).toBe(getSignature(TOKEN, '1700000000', String(n), mine));
    }
  });

  it('refuses a message whose trailer is another CorpID', () => {
    expect(ours.decrypt(wecomEncrypt(KEY, '<xml/>', 'wwSomeoneElse00000'))).toEqual({ ok: false, reason: 'wrong_appid' });
  });
});

describe('GET /wechat/wecom with the public vector', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      roster: false,
      env: { WECOM_CORP_ID: CORP_ID, WECOM_AGENT_ID: '1', WECOM_SECRET: 'vectorSecret0123456789', WECOM_TOKEN: TOKEN, WECOM_ENCODING_AES_KEY: KEY },
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers the URL check with the decrypted echostr', async () => {
    app.clock.now = Number(URL_CHECK.timestamp) * 1000 + 20_000;
    const r = await app.daiban.server.inject({ method: 'GET', url: `/wechat/wecom?${new URLSearchParams(URL_CHECK).toString()}` });
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe(wecomDecrypt(KEY, URL_CHECK.echostr).message);
  });
});
