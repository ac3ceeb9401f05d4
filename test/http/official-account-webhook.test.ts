import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageCrypto } from '../../src/channels/wechat/message-crypto.ts';
import { computeSignature } from '../../src/channels/wechat/signature.ts';
import { BODY_LIMIT } from '../../src/http/build-server.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const TOKEN = 'oaTestToken42';
const URL_PATH = '/wechat/official-account';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_APPID: 'wx49f0ab532d5d035a' } });
});
afterAll(async () => {
  await app.close();
});

const seconds = () => String(Math.floor(app.clock.now / 1000));
let nonces = 0;
const signed = (extra: Record<string, string> = {}, at = seconds(), token = TOKEN) => {
  const nonce = String(100000 + ++nonces);
  return new URLSearchParams({ signature: computeSignature(token, at, nonce), timestamp: at, nonce, ...extra }).toString();
};

const textPush = (from: string, content: string, msgId: string | null, createTime = seconds()) =>
  `<xml><ToUserName><![CDATA[gh_daiban]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>` +
  `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>` +
  `${msgId ? `<MsgId>${msgId}</MsgId>` : ''}</xml>`;

const post = (query: string, body: string, contentType = 'text/xml') =>
  app.daiban.server.inject({ method: 'POST', url: `${URL_PATH}?${query}`, headers: { 'content-type': contentType }, payload: body });

const readReply = (xml: string) => new XMLParser({ parseTagValue: false, trimValues: false }).parse(xml, true) as { xml: Record<string, string> };

const count = (sql: string, ...params: unknown[]) => app.daiban.database.sqlite.prepare<unknown[], { n: number }>(sql).get(...params)?.n ?? 0;
/** Rows a handled message from this OpenID leaves behind: its identity and the reply in the outbox. */
const stored = (openid: string) =>
  count("SELECT count(*) AS n FROM outbox WHERE channel = 'official-account' AND recipient = ?", openid) +
  count("SELECT count(*) AS n FROM channel_identities WHERE channel = 'official-account' AND external_id = ?", openid);

describe('GET /wechat/official-account (URL check)', () => {
  it('echoes echostr as text/plain when the signature is right', async () => {
    const r = await app.daiban.server.inject({ method: 'GET', url: `${URL_PATH}?${signed({ echostr: '1234567890abc' })}` });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toBe('1234567890abc');
  });

  it('refuses a wrong or missing signature without echoing', async () => {
    const wrong = await app.daiban.server.inject({ method: 'GET', url: `${URL_PATH}?${signed({ echostr: 'abc' }, seconds(), 'otherToken')}` });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).not.toBe('abc');
    const missing = await app.daiban.server.inject({ method: 'GET', url: `${URL_PATH}?echostr=abc` });
    expect(missing.statusCode).toBe(403);
  });
});

describe('POST /wechat/official-account (plain mode)', () => {
  it('answers a text from an unknown OpenID with the greeting as a passive XML reply', async () => {
    // The same first words through the simulator give the greeting an unregistered person gets.
    const [greeting] = await app.say('sim-unregistered-1', '你好');
    const r = await post(signed(), textPush('oNewUser0001', '你好', '24000000000000001'));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/xml/);
    const reply = readReply(r.body).xml;
    expect(reply).toMatchObject({ ToUserName: 'oNewUser0001', FromUserName: 'gh_daiban', MsgType: 'text', CreateTime: seconds() });
    expect(reply.Content).toMatch(/[\u4e00-\u9fff]/);
    expect(reply.Content).toBe(greeting);
  });

  it('handles four deliveries of one message once and gives each the same reply', async () => {
    const query = signed();
    const body = textPush('oRetryUser02', '你好', '24000000000000002');
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await post(query, body));
    expect(replies.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(new Set(replies.map((r) => r.body)).size).toBe(1);
    expect(readReply(replies[0]!.body).xml.Content).toMatch(/[\u4e00-\u9fff]/);
    expect(count("SELECT count(*) AS n FROM inbox WHERE channel = 'official-account' AND message_id = ?", '24000000000000002')).toBe(1);
    expect(count("SELECT count(*) AS n FROM outbox WHERE channel = 'official-account' AND recipient = ?", 'oRetryUser02')).toBe(1);
  });

  it('de-duplicates a push without MsgId by FromUserName + CreateTime', async () => {
    const body = textPush('oNoMsgId0003', '你好', null);
    const first = await post(signed(), body);
    const again = await post(signed(), body);
    expect(again.body).toBe(first.body);
    expect(count("SELECT count(*) AS n FROM inbox WHERE channel = 'official-account' AND message_id = ?", `oNoMsgId0003${seconds()}`)).toBe(1);
    expect(count("SELECT count(*) AS n FROM outbox WHERE channel = 'official-account' AND recipient = ?", 'oNoMsgId0003')).toBe(1);
  });

  it('refuses a missing or wrong signature and stores nothing', async () => {
    const body = textPush('oForged00004', '你好', '24000000000000004');
    const missing = await post('', body);
    const wrong = await post(signed({}, seconds(), 'otherToken'), body);
    const tampered = await post(signed().replace(/signature=[0-9a-f]{2}/, 'signature=00'), body);
    expect([missing.statusCode, wrong.statusCode, tampered.statusCode]).toEqual([403, 403, 403]);
    expect(stored('oForged00004')).toBe(0);
    expect(count("SELECT count(*) AS n FROM inbox WHERE channel = 'official-account' AND message_id = ?", '24000000000000004')).toBe(0);
  });

  it('refuses a correctly signed request with an old timestamp (replay)', async () => {
    const old = String(Math.floor(app.clock.now / 1000) - 10 * 60);
    const r = await post(signed({}, old), textPush('oReplay00005', '你好', '24000000000000005', old));
    expect(r.statusCode).toBe(403);
    expect(stored('oReplay00005')).toBe(0);
  });

  it('refuses a DOCTYPE body and malformed XML with 400, and a body over 64 KB with 413', async () => {
    const xxe = `<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]>${textPush('oEvil0000006', '&e;', '24000000000000006')}`;
    const doctype = await post(signed(), xxe);
    expect(doctype.statusCode).toBe(400);
    expect(doctype.body).not.toContain('root:');
    const malformed = await post(signed(), '<xml><ToUserName><![CDATA[gh_daiban]]></ToUserName><FromUserName>oBad');
    expect(malformed.statusCode).toBe(400);
    const huge = await post(signed(), textPush('oHuge0000007', 'x'.repeat(BODY_LIMIT), '24000000000000007'));
    expect(huge.statusCode).toBe(413);
    expect(stored('oEvil0000006') + stored('oHuge0000007')).toBe(0);
  });

  it('takes bytes that are not UTF-8 without a 5xx: they become replacement characters', async () => {
    const xml = textPush('oBytes0000009', '@@', '24000000000000099');
    const at = xml.indexOf('@@');
    const body = Buffer.concat([Buffer.from(xml.slice(0, at)), Buffer.from([0xff, 0xfe, 0xe4, 0xbd]), Buffer.from(xml.slice(at + 2))]);
    const r = await app.daiban.server.inject({ method: 'POST', url: `${URL_PATH}?${signed()}`, headers: { 'content-type': 'text/xml' }, payload: body });
    expect(r.statusCode).toBe(200);
    expect(readReply(r.body).xml.ToUserName).toBe('oBytes0000009');
  });

  it('answers success to an event or message type it does not know, and a short answer to a video', async () => {
    const event =
      `<xml><ToUserName><![CDATA[gh_daiban]]></ToUserName><FromUserName><![CDATA[oEvent000008]]></FromUserName>` +
      `<CreateTime>${seconds()}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[SOME_NEW_EVENT]]></Event></xml>`;
    const r = await post(signed(), event);
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('success');
    const unknown = await post(signed(), event.replace('[event]', '[hologram]'));
    expect(unknown.body).toBe('success');
    // A kind people send but the bot cannot read gets a short plain answer, and nothing is stored.
    const video = await post(signed(), event.replace('[event]', '[video]'));
    expect(readReply(video.body).xml.Content).toMatch(/打字、发语音或者发照片/);
    expect(stored('oEvent000008')).toBe(0);
  });
});

describe('without WECHAT_OA_ENCODING_AES_KEY', () => {
  it('answers success to an encrypted push and handles nothing, but still checks the signature', async () => {
    const encrypt = createMessageCrypto({ appId: 'wx49f0ab532d5d035a', encodingAesKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR' }).encrypt(
      textPush('oNoAesKey009', '你好', '24000000000000009'),
      Buffer.alloc(16, 1),
    );
    const body = `<xml><ToUserName><![CDATA[gh_daiban]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
    const r = await post(signed({ encrypt_type: 'aes', msg_signature: 'f'.repeat(40) }), body);
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('success');
    const forged = await post(signed({ encrypt_type: 'aes' }, seconds(), 'otherToken'), body);
    expect(forged.statusCode).toBe(403);
    expect(stored('oNoAesKey009')).toBe(0);
    const get = await app.daiban.server.inject({ method: 'GET', url: `${URL_PATH}?${signed({ msg_signature: 'f'.repeat(40), echostr: encrypt })}` });
    expect(get.statusCode).toBe(403);
  });
});

describe('without WECHAT_OA_TOKEN', () => {
  it('has no webhook routes', async () => {
    const plain = await startTestApp({ roster: false });
    try {
      const r = await plain.daiban.server.inject({ method: 'GET', url: `${URL_PATH}?echostr=x` });
      expect(r.statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
