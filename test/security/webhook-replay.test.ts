import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSignature } from '../../src/channels/wechat/signature.ts';
import { readPassiveReply } from '../support/oa-client.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * A signed Official Account query (signature, timestamp, nonce) serves one body only: reused with
 * another body it is refused, on this web process or another of the deployment; reused with the same bytes
 * it is WeChat's re-delivery and gets the same answer. The request log never records a signed query.
 */

const TOKEN = 'replayTestToken7';
const OPENID = 'oReplayVictim0001';
const PATH = '/wechat/official-account';
const log: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    log.push(chunk.toString('utf8'));
    done();
  },
});

let web1: TestApp;
let web2: TestApp;
beforeAll(async () => {
  const prefix = `replay${process.pid}x${Date.now().toString(36)}`;
  const shared = mkdtempSync(join(tmpdir(), 'daiban-replay-'));
  // Two web processes of one deployment: the same database and the same Redis prefix.
  const env = { WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_APPID: 'wx49f0ab532d5d035a', BULLMQ_PREFIX: prefix, SQLITE_PATH: join(shared, 'daiban.db') };
  web1 = await startTestApp({ env, logger: pino({ level: 'debug' }, sink) });
  web2 = await startTestApp({ env, worker: false, roster: false });
  web2.clock.now = web1.clock.now;
});
afterAll(async () => {
  await web2?.close();
  await web1?.close();
});

const seconds = (app: TestApp) => String(Math.floor(app.clock.now / 1000));
const text = (app: TestApp, content: string, msgId: string) =>
  `<xml><ToUserName><![CDATA[gh_daiban]]></ToUserName><FromUserName><![CDATA[${OPENID}]]></FromUserName>` +
  `<CreateTime>${seconds(app)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
const signedQuery = (app: TestApp, nonce: string) => {
  const timestamp = seconds(app);
  return new URLSearchParams({ signature: computeSignature(TOKEN, timestamp, nonce), timestamp, nonce, openid: OPENID }).toString();
};
const post = (app: TestApp, query: string, body: string) =>
  app.daiban.server.inject({ method: 'POST', url: `${PATH}?${query}`, headers: { 'content-type': 'text/xml' }, payload: body });

describe('a signed Official Account URL', () => {
  it('is refused with another body, on this process and on another; the same body is a re-delivery', async () => {
    const query = signedQuery(web1, '551100');
    const first = await post(web1, query, text(web1, '你好', '7100000000000000001'));
    expect(first.statusCode).toBe(200);
    const greeting = readPassiveReply(first.body);
    expect(greeting).not.toBe('');

    // WeChat's re-delivery: the same bytes under the same signature.
    const again = await post(web1, query, text(web1, '你好', '7100000000000000001'));
    expect(again.statusCode).toBe(200);
    expect(readPassiveReply(again.body)).toBe(greeting);

    // Whoever saw the URL posts their own message as the follower: refused, and nothing is handled.
    const before = web1.daiban.database.sqlite.prepare('SELECT count(*) AS n FROM inbox').get() as { n: number };
    const forged = await post(web1, query, text(web1, '我的代办', '7100000000000000002'));
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ error: 'invalid_signature' });
    const onOther = await post(web2, query, text(web2, '我的代办', '7100000000000000003'));
    expect(onOther.statusCode).toBe(403);
    const after = web1.daiban.database.sqlite.prepare('SELECT count(*) AS n FROM inbox').get() as { n: number };
    expect(after.n).toBe(before.n);

    // A fresh signature works as before.
    const fresh = await post(web2, signedQuery(web2, '551101'), text(web2, '帮助', '7100000000000000004'));
    expect(fresh.statusCode).toBe(200);
  });

  it('cannot carry a forged unfollow, which would anonymise the follower', async () => {
    const query = signedQuery(web1, '771100');
    expect((await post(web1, query, text(web1, '你好', '7100000000000000020'))).statusCode).toBe(200);
    const unfollow = `<xml><ToUserName><![CDATA[gh_daiban]]></ToUserName><FromUserName><![CDATA[${OPENID}]]></FromUserName><CreateTime>${seconds(web1)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[unsubscribe]]></Event></xml>`;
    const forged = await post(web2, query, unfollow);
    expect(forged.statusCode).toBe(403);
    const identity = web1.daiban.database.sqlite
      .prepare("SELECT count(*) AS n FROM channel_identities WHERE channel = 'official-account' AND external_id = ?")
      .get(OPENID) as { n: number };
    expect(identity.n).toBe(1);
  });

  it('never lands in the request log with its signature, timestamp or nonce', async () => {
    const query = signedQuery(web1, '662200');
    expect((await post(web1, query, text(web1, '你好', '7100000000000000010'))).statusCode).toBe(200);
    const lines = log.join('');
    expect(lines).toContain('/wechat/official-account?signature=[redacted]');
    expect(lines).not.toContain(new URLSearchParams(query).get('signature') ?? 'none');
    expect(lines).not.toContain('662200');
    expect(lines).not.toContain(OPENID);
  });
});
