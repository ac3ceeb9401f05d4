import { expect } from 'vitest';
import { computeSignature } from '../../src/channels/official-account/signature.ts';
import { insertOutbox } from '../../src/db/outbox-repository.ts';
import type { TestApp } from './test-app.ts';

/** Driving an Official Account follower in an integration test: their messages over the webhook, notifications to them. */

export const OA_TOKEN = 'oaTestToken42';
export const OA_APPID = 'wx49f0ab532d5d035a';
export const OA_SECRET = 'fakeSecret0123456789abcdef012345';

let messages = 0;

/** The follower writes to the account (a signed webhook push at the test clock's time). */
export async function followerWrites(app: TestApp, openid: string, content: string): Promise<void> {
  const at = String(Math.floor(app.clock.now / 1000));
  const nonce = String(300000 + ++messages);
  const msgId = String(26000000000000000n + BigInt(process.pid) * 1000n + BigInt(messages));
  const query = new URLSearchParams({ signature: computeSignature(OA_TOKEN, at, nonce), timestamp: at, nonce }).toString();
  const body =
    `<xml><ToUserName><![CDATA[gh_daiban]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName>` +
    `<CreateTime>${at}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
  const r = await app.daiban.server.inject({ method: 'POST', url: `/wechat/official-account?${query}`, headers: { 'content-type': 'text/xml' }, payload: body });
  expect(r.statusCode).toBe(200);
}

/** Binds the follower's OpenID to a roster person (as registration does); a new identity has never written (last seen at 0). */
export function bindFollower(app: TestApp, openid: string, personId: string): void {
  app.daiban.database.sqlite
    .prepare(
      `INSERT INTO channel_identities (channel, external_id, person_id, created_at, last_seen_at) VALUES ('official-account', ?, ?, ?, 0)
       ON CONFLICT (channel, external_id) DO UPDATE SET person_id = excluded.person_id`,
    )
    .run(openid, personId, app.clock.now);
}

export function notifyFollower(app: TestApp, openid: string, text: string, errandId: number | null = null): number {
  const db = app.daiban.database;
  const [id] = db.write(() => insertOutbox(db, [{ channel: 'official-account', recipient: openid, room: null, text, kind: 'notification', errandId }], app.clock.now));
  return id!;
}

export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
