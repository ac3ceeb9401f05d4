import { encrypt as wecomEncrypt, getSignature } from '@wecom/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileErrandByChat, homesteadAnswers } from '../support/intake.ts';
import { START } from '../support/test-app.ts';
import { startWeComDriver, userIdOf, WECOM_AES_KEY, WECOM_AGENT_ID, WECOM_CORP_ID, WECOM_TOKEN, type WeComDriver } from '../support/wecom-driver.ts';

/** The WeCom app callback end to end: WeCom's side is @wecom/crypto, the API a local fake. */

let driver: WeComDriver;
beforeAll(async () => {
  driver = await startWeComDriver();
  await driver.bind('agent-li');
});
afterAll(async () => {
  await driver?.close();
});

const db = () => driver.app.daiban.database.sqlite;
const count = (sql: string, ...params: unknown[]) =>
  db()
    .prepare<unknown[], { n: number }>(sql)
    .get(...params)?.n ?? 0;
/** Whether anything of a WeCom user reached the handler: an identity, an inbox row or an outbox row. */
const traces = (userId: string) =>
  count("SELECT count(*) AS n FROM channel_identities WHERE channel = 'wecom' AND external_id = ? AND person_id IS NULL", userId) +
  count("SELECT count(*) AS n FROM outbox WHERE channel = 'wecom' AND recipient = ?", userId) +
  count("SELECT count(*) AS n FROM inbox WHERE channel = 'wecom' AND identity_id IN (SELECT id FROM channel_identities WHERE external_id = ?)", userId);

const seconds = () => String(Math.floor(driver.app.clock.now / 1000));
let nonces = 0;
const get = (query: Record<string, string>) =>
  driver.app.daiban.server.inject({ method: 'GET', url: `/wechat/wecom?${new URLSearchParams(query).toString()}` });
const postRaw = (query: Record<string, string>, body: string | Buffer) =>
  driver.app.daiban.server.inject({
    method: 'POST',
    url: `/wechat/wecom?${new URLSearchParams(query).toString()}`,
    headers: { 'content-type': 'text/xml' },
    payload: body,
  });
/** A correctly signed envelope around `encrypt`, for bodies the driver's callback() cannot make. */
const signedPost = (
  encrypt: string,
  body: string | Buffer = `<xml><ToUserName><![CDATA[${WECOM_CORP_ID}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
) => {
  const timestamp = seconds();
  const nonce = String(400000 + ++nonces);
  return postRaw({ msg_signature: getSignature(WECOM_TOKEN, timestamp, nonce, encrypt), timestamp, nonce }, body);
};

describe('GET /wechat/wecom (URL check)', () => {
  it('answers the encrypted echostr decrypted, as plain text, well within a second', async () => {
    const echo = 'echo-1234567890';
    const echostr = wecomEncrypt(WECOM_AES_KEY, echo, WECOM_CORP_ID);
    const timestamp = seconds();
    const started = performance.now();
    const r = await get({ msg_signature: getSignature(WECOM_TOKEN, timestamp, '5551', echostr), timestamp, nonce: '5551', echostr });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toBe(echo);
  });

  it('reads an echostr whose + signs were left unencoded in the URL', async () => {
    let echostr = '';
    for (let i = 0; !echostr.includes('+'); i++) echostr = wecomEncrypt(WECOM_AES_KEY, `echo-${i}`, WECOM_CORP_ID);
    const timestamp = seconds();
    const signature = getSignature(WECOM_TOKEN, timestamp, '5552', echostr);
    const r = await driver.app.daiban.server.inject({
      method: 'GET',
      url: `/wechat/wecom?msg_signature=${signature}&timestamp=${timestamp}&nonce=5552&echostr=${echostr.replaceAll('=', '%3D')}`,
    });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/^echo-\d+$/);
  });

  it('refuses a wrong signature, a stale timestamp and an echostr of another CorpID', async () => {
    const echostr = wecomEncrypt(WECOM_AES_KEY, 'echo', WECOM_CORP_ID);
    const now = seconds();
    expect((await get({ msg_signature: getSignature('otherToken', now, '1', echostr), timestamp: now, nonce: '1', echostr })).statusCode).toBe(403);
    expect((await get({ timestamp: now, nonce: '1', echostr })).statusCode).toBe(403);
    const old = String(Number(now) - 3600);
    const stale = await get({ msg_signature: getSignature(WECOM_TOKEN, old, '1', echostr), timestamp: old, nonce: '1', echostr });
    expect(stale.statusCode).toBe(403);
    expect(stale.body).not.toContain('echo"');
    const foreign = wecomEncrypt(WECOM_AES_KEY, 'echo', 'wwOtherCorp0000000');
    const r = await get({ msg_signature: getSignature(WECOM_TOKEN, now, '1', foreign), timestamp: now, nonce: '1', echostr: foreign });
    expect(r.statusCode).toBe(400);
    expect(r.body).not.toMatch(/^echo$/);
  });
});

describe('POST /wechat/wecom (agents writing from WeCom)', () => {
  it('lets an agent claim an errand from WeCom and answers through the app message API', async () => {
    const receipt = await fileErrandByChat(driver.app, 'zhang-xiuhua', '宅基地建房', homesteadAnswers);
    const replies = await driver.say('agent-li', `接单 ${receipt}`);
    expect(replies.join('\n')).toContain(`已接单 ${receipt}`);
    expect(replies.join('\n')).toContain(`【代办详情】${receipt}`);
    const errand = db().prepare<[string], { agent_id: string; status: string }>('SELECT agent_id, status FROM errands WHERE receipt_no = ?').get(receipt);
    expect(errand).toMatchObject({ agent_id: 'li' });
    // The reply went out as an app message of our app, with a token from gettoken.
    const sends = driver.fake.requests.filter((r) => r.endpoint === 'message_send' && r.body.touser === userIdOf('agent-li'));
    expect(sends.length).toBeGreaterThan(0);
    expect(sends[0]!.body).toMatchObject({ msgtype: 'text', agentid: WECOM_AGENT_ID });
    expect(driver.fake.requests.filter((r) => r.endpoint === 'gettoken')).toHaveLength(1);

    const todo = await driver.say('agent-li', '待办');
    expect(todo.join('\n')).toContain(receipt);
  });

  it('lets a resident file an errand from WeCom and tells them through WeCom when an agent claims it', async () => {
    await driver.bind('liu-fang');
    let last: string[] = await driver.say('liu-fang', '宅基地建房');
    for (const answer of homesteadAnswers) last = await driver.say('liu-fang', answer);
    const receipt = /DB\d{9,}/.exec(last.join('\n'))?.[0];
    expect(receipt).toBeDefined();
    const [claimed] = await driver.app.say('agent-sun', `接单 ${receipt!}`, 'lw-agents@chatroom');
    expect(claimed).toContain(receipt!);
    const notices = await driver.notificationsTo('liu-fang', 1);
    expect(notices.join('\n')).toContain(`${receipt!}`);
    expect(notices.join('\n')).toContain('孙建国');
  });

  it('answers the callback at once with an empty body, and handles a re-delivery of the same MsgId once', async () => {
    const userId = userIdOf('agent-li');
    const xml = driver.textXml(userId, '待办', '7100000000000000001');
    const before = driver.fake.appMessages().filter((m) => m.touser === userId).length;
    const first = await driver.callback(xml);
    expect(first).toEqual({ statusCode: 200, body: '' });
    const again = await driver.callback(xml);
    expect(again).toEqual({ statusCode: 200, body: '' });
    await driver.app.settle();
    await new Promise((r) => setTimeout(r, 300));
    expect(driver.fake.appMessages().filter((m) => m.touser === userId).length - before).toBe(1);
  });

  it('tells a WeCom member the roster does not know that commands are for staff', async () => {
    const replies = await driver.say('stranger-on-wecom', '待办');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/[\u4e00-\u9fff]/);
    // What the refusal tests below look for, when a message does reach the handler.
    expect(traces(userIdOf('stranger-on-wecom'))).toBeGreaterThan(0);
  });

  it('answers events, other message types and messages for another app empty, and handles none of them', async () => {
    const userId = 'wc_event_user';
    const at = seconds();
    const event = `<xml><ToUserName><![CDATA[${WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[${userId}]]></FromUserName><CreateTime>${at}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event><AgentID>${WECOM_AGENT_ID}</AgentID></xml>`;
    const image = `<xml><ToUserName><![CDATA[${WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[${userId}]]></FromUserName><CreateTime>${at}</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://example.org/x.jpg]]></PicUrl><MsgId>7100000000000000002</MsgId><AgentID>${WECOM_AGENT_ID}</AgentID></xml>`;
    const otherApp = driver.textXml(userId, '待办', '7100000000000000003').replace(`<AgentID>${WECOM_AGENT_ID}</AgentID>`, '<AgentID>1000999</AgentID>');
    for (const xml of [event, image, otherApp]) expect(await driver.callback(xml)).toEqual({ statusCode: 200, body: '' });
    expect(traces(userId)).toBe(0);
  });
});

describe('POST /wechat/wecom refuses bad input before handling anything', () => {
  const userId = 'wc_attacker';
  const text = () => driver.textXml(userId, '待办', '7200000000000000001');

  it('refuses a wrong or missing signature', async () => {
    expect((await driver.callback(text(), { token: 'notTheToken' })).statusCode).toBe(403);
    const encrypt = wecomEncrypt(WECOM_AES_KEY, text(), WECOM_CORP_ID);
    expect((await postRaw({ timestamp: seconds(), nonce: '1' }, `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`)).statusCode).toBe(403);
    expect(traces(userId)).toBe(0);
  });

  it('refuses a replayed callback with an old timestamp', async () => {
    const r = await driver.callback(text(), { timestamp: String(Math.floor(START / 1000) - 3600) });
    expect(r.statusCode).toBe(403);
    expect(traces(userId)).toBe(0);
  });

  it('refuses a message encrypted for another CorpID', async () => {
    expect((await driver.callback(text(), { corpId: 'wwOtherCorp0000000' })).statusCode).toBe(400);
    expect(traces(userId)).toBe(0);
  });

  it('refuses malformed XML, a DOCTYPE or entity outside or inside the encryption, and never expands it', async () => {
    const encrypt = wecomEncrypt(WECOM_AES_KEY, text(), WECOM_CORP_ID);
    expect((await signedPost(encrypt, `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt>`)).statusCode).toBe(400);
    expect((await signedPost(encrypt, `<!DOCTYPE xml [<!ENTITY e "${encrypt}">]><xml><Encrypt>&e;</Encrypt></xml>`)).statusCode).toBe(400);
    const inner = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x "待办">]>${text().replace('待办', '&x;')}`;
    expect((await driver.callback(inner)).statusCode).toBe(400);
    expect((await driver.callback('<xml><FromUserName>oops</xml>')).statusCode).toBe(400);
    expect((await driver.callback('not xml at all')).statusCode).toBe(400);
    expect(traces(userId)).toBe(0);
  });

  it('refuses bodies over 64 KB', async () => {
    const r = await signedPost('A'.repeat(70 * 1024));
    expect(r.statusCode).toBe(413);
    expect(traces(userId)).toBe(0);
  });

  it('refuses a message whose text is not UTF-8', async () => {
    // Encrypt bytes that are not UTF-8 the way WeCom would frame them (random | length | message | CorpID).
    const { createCipheriv } = await import('node:crypto');
    const key = Buffer.from(`${WECOM_AES_KEY}=`, 'base64');
    const message = Buffer.concat([Buffer.from(text().replace('待办', '').slice(0, -6)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('</xml>')]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(message.length);
    const plain = Buffer.concat([Buffer.alloc(16, 9), length, message, Buffer.from(WECOM_CORP_ID)]);
    const pad = 32 - (plain.length % 32);
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    const encrypt = Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
    expect((await signedPost(encrypt)).statusCode).toBe(400);
    // Raw non-UTF-8 bytes around the envelope are refused too.
    expect(
      (await signedPost(encrypt, Buffer.concat([Buffer.from('<xml><Encrypt>'), Buffer.from([0xff, 0xfe]), Buffer.from('</Encrypt></xml>')]))).statusCode,
    ).toBeGreaterThanOrEqual(400);
    expect(traces(userId)).toBe(0);
  });
});
