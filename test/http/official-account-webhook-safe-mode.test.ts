import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMsgSignature, createMessageCrypto } from '../../src/channels/wechat/message-crypto.ts';
import { computeSignature } from '../../src/channels/wechat/signature.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const TOKEN = 'oaSafeToken42';
const APPID = 'wx49f0ab532d5d035a';
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const PREVIOUS = Buffer.alloc(32, 7).toString('base64').slice(0, 43);
const URL_PATH = '/wechat/official-account';
const wechat = createMessageCrypto({ appId: APPID, encodingAesKey: KEY });

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({
    env: { WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_APPID: APPID, WECHAT_OA_ENCODING_AES_KEY: KEY, WECHAT_OA_ENCODING_AES_KEY_PREVIOUS: PREVIOUS },
  });
});
afterAll(async () => {
  await app.close();
});

const seconds = () => String(Math.floor(app.clock.now / 1000));
let nonces = 0;
/** The query WeChat sends in safe mode: both signatures, msg_signature over the encrypted text. */
const signedAes = (encrypt: string, options: { token?: string; plain?: boolean } = {}) => {
  const at = seconds();
  const nonce = String(200000 + ++nonces);
  const token = options.token ?? TOKEN;
  const q: Record<string, string> = { timestamp: at, nonce, encrypt_type: 'aes', msg_signature: computeMsgSignature(token, at, nonce, encrypt) };
  if (options.plain !== false) q.signature = computeSignature(token, at, nonce);
  return new URLSearchParams(q).toString();
};

const textPush = (from: string, content: string, msgId: string) =>
  `<xml><ToUserName><![CDATA[gh_daiban]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>` +
  `<CreateTime>${seconds()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
const envelope = (encrypt: string) => `<xml><ToUserName><![CDATA[gh_daiban]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;

const post = (query: string, body: string) =>
  app.daiban.server.inject({ method: 'POST', url: `${URL_PATH}?${query}`, headers: { 'content-type': 'text/xml' }, payload: body });
const readXml = (xml: string) => new XMLParser({ parseTagValue: false, trimValues: false }).parse(xml, true) as { xml: Record<string, string> };

const count = (sql: string, ...params: unknown[]) => app.daiban.database.sqlite.prepare<unknown[], { n: number }>(sql).get(...params)?.n ?? 0;
const stored = (openid: string) =>
  count("SELECT count(*) AS n FROM outbox WHERE channel = 'official-account' AND recipient = ?", openid) +
  count("SELECT count(*) AS n FROM channel_identities WHERE channel = 'official-account' AND external_id = ?", openid);

/** Checks the reply envelope's signature and opens it as WeChat would. */
function openReply(body: string): Record<string, string> {
  const outer = readXml(body).xml;
  expect(Object.keys(outer).sort()).toEqual(['Encrypt', 'MsgSignature', 'Nonce', 'TimeStamp']);
  expect(outer.TimeStamp).toBe(seconds());
  expect(outer.MsgSignature).toBe(computeMsgSignature(TOKEN, outer.TimeStamp!, outer.Nonce!, outer.Encrypt!));
  const inner = wechat.decrypt(outer.Encrypt!);
  expect(inner.ok).toBe(true);
  return inner.ok ? readXml(inner.message).xml : {};
}

describe('POST /wechat/official-account (safe mode)', () => {
  it('answers a text from an unknown OpenID with the plain-mode greeting, encrypted and signed', async () => {
    const [greeting] = await app.say('sim-unregistered-safe', '你好');
    const encrypt = wechat.encrypt(textPush('oSafeUser001', '你好', '25000000000000001'), Buffer.alloc(16, 1));
    const r = await post(signedAes(encrypt), envelope(encrypt));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/xml/);
    expect(r.body).not.toContain('你好');
    const reply = openReply(r.body);
    expect(reply).toMatchObject({ ToUserName: 'oSafeUser001', FromUserName: 'gh_daiban', MsgType: 'text' });
    expect(reply.Content).toMatch(/[\u4e00-\u9fff]/);
    expect(reply.Content).toBe(greeting);
  });

  it('handles compatible mode (plain fields and Encrypt) from the encrypted copy only', async () => {
    const encrypt = wechat.encrypt(textPush('oCompat00002', '你好', '25000000000000002'), Buffer.alloc(16, 2));
    // The plain copy names another user: it must be ignored.
    const body = textPush('oDecoy000002', '你好', '25000000000000092').replace('</xml>', `<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`);
    const r = await post(signedAes(encrypt), body);
    expect(r.statusCode).toBe(200);
    expect(openReply(r.body).ToUserName).toBe('oCompat00002');
    expect(stored('oDecoy000002')).toBe(0);
  });

  it('accepts a push encrypted under the previous key during a rotation and replies under the current one', async () => {
    const old = createMessageCrypto({ appId: APPID, encodingAesKey: PREVIOUS });
    const encrypt = old.encrypt(textPush('oRotate00003', '你好', '25000000000000003'), Buffer.alloc(16, 3));
    const r = await post(signedAes(encrypt), envelope(encrypt));
    expect(r.statusCode).toBe(200);
    expect(openReply(r.body).ToUserName).toBe('oRotate00003');
  });

  it('refuses a wrong or missing msg_signature, or a wrong plain signature, with 403 and stores nothing', async () => {
    const encrypt = wechat.encrypt(textPush('oForged00004', '你好', '25000000000000004'), Buffer.alloc(16, 4));
    const wrongToken = await post(signedAes(encrypt, { token: 'otherToken' }), envelope(encrypt));
    const otherEncrypt = await post(signedAes(wechat.encrypt('<xml/>', Buffer.alloc(16, 4))), envelope(encrypt));
    const missing = await post(signedAes(encrypt).replace(/&?msg_signature=[0-9a-f]+/, ''), envelope(encrypt));
    const badPlain = await post(signedAes(encrypt).replace(/(^|&)signature=[0-9a-f]{2}/, '$1signature=00'), envelope(encrypt));
    expect([wrongToken.statusCode, otherEncrypt.statusCode, missing.statusCode, badPlain.statusCode]).toEqual([403, 403, 403, 403]);
    expect(stored('oForged00004')).toBe(0);
    expect(count("SELECT count(*) AS n FROM inbox WHERE channel = 'official-account' AND message_id = ?", '25000000000000004')).toBe(0);
    // msg_signature alone (no plain signature) is enough.
    const alone = await post(signedAes(encrypt, { plain: false }), envelope(encrypt));
    expect(alone.statusCode).toBe(200);
  });

  it('refuses a message for another appid, or under an unknown key, with 400 and stores nothing', async () => {
    const foreign = createMessageCrypto({ appId: 'wx0000000000000000', encodingAesKey: KEY }).encrypt(
      textPush('oForeign0005', '你好', '25000000000000005'),
      Buffer.alloc(16, 5),
    );
    const unknownKey = createMessageCrypto({ appId: APPID, encodingAesKey: Buffer.alloc(32, 9).toString('base64').slice(0, 43) }).encrypt(
      textPush('oForeign0005', '你好', '25000000000000006'),
      Buffer.alloc(16, 5),
    );
    const a = await post(signedAes(foreign), envelope(foreign));
    const b = await post(signedAes(unknownKey), envelope(unknownKey));
    expect([a.statusCode, b.statusCode]).toEqual([400, 400]);
    expect(stored('oForeign0005')).toBe(0);
  });

  it('answers plain success to an encrypted push it does not handle, and 400 to an envelope without Encrypt', async () => {
    const event =
      `<xml><ToUserName><![CDATA[gh_daiban]]></ToUserName><FromUserName><![CDATA[oEvent000007]]></FromUserName>` +
      `<CreateTime>${seconds()}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[SOME_NEW_EVENT]]></Event></xml>`;
    const encrypt = wechat.encrypt(event, Buffer.alloc(16, 7));
    const r = await post(signedAes(encrypt), envelope(encrypt));
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('success');
    const empty = await post(signedAes(''), '<xml><ToUserName><![CDATA[gh_daiban]]></ToUserName></xml>');
    expect(empty.statusCode).toBe(400);
  });
});

describe('GET /wechat/official-account (safe-mode URL check)', () => {
  it('answers the encrypted echostr decrypted, and refuses a wrong msg_signature', async () => {
    const echostr = wechat.encrypt('8841947519391417', Buffer.alloc(16, 8));
    const query = (token = TOKEN) => {
      const at = seconds();
      const nonce = String(300000 + ++nonces);
      return new URLSearchParams({ msg_signature: computeMsgSignature(token, at, nonce, echostr), timestamp: at, nonce, echostr }).toString();
    };
    const r = await app.daiban.server.inject({ method: 'GET', url: `${URL_PATH}?${query()}` });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toBe('8841947519391417');
    const wrong = await app.daiban.server.inject({ method: 'GET', url: `${URL_PATH}?${query('otherToken')}` });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).not.toContain('8841947519391417');
  });
});
