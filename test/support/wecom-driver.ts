import { readFileSync } from 'node:fs';
import { encrypt as wecomEncrypt, getSignature } from '@wecom/crypto';
import type { ChannelDriver } from './channel-driver.ts';
import { startFakeWeComApi, type FakeWeComApi } from './fake-wecom-api.ts';
import { auth, startTestApp, type TestApp } from './test-app.ts';

/**
 * The WeCom channel as an agent meets it: they write to the WeCom app (encrypted callbacks to
 * /wechat/wecom, made here with @wecom/crypto — an implementation independent of ours), and read what
 * the app sends them through the (fake) app message API. Roster people are bound the way production
 * does it: the roster carries their WeCom UserID as an identity {channel: 'wecom', id}. WeCom's app
 * has no group chats (rooms are reached by post-only robots), so `sayInRoom` is null.
 */

export const WECOM_CORP_ID = 'wx49f0ab532d5d035a';
export const WECOM_AGENT_ID = 1000002;
export const WECOM_SECRET = 'fakeWeComSecret-0123456789abcdefABCDEF_xyz';
export const WECOM_TOKEN = 'wecomToken42';
export const WECOM_AES_KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';

/** The WeCom UserID the driver gives a person. */
export const userIdOf = (person: string) => `wc_${person.replace(/[^A-Za-z0-9_-]/g, '_')}`;

export interface WeComDriver extends ChannelDriver {
  readonly fake: FakeWeComApi;
  /** Posts one encrypted callback (the inner XML as given) and returns the HTTP answer. */
  callback(innerXml: string, options?: { timestamp?: string; token?: string; corpId?: string }): Promise<{ statusCode: number; body: string }>;
  /** The XML of a member's text message, as WeCom sends it. */
  textXml(userId: string, text: string, msgId: string): string;
}

export async function startWeComDriver(
  options: {
    env?: Record<string, string>;
    robotKeys?: readonly string[];
    /** The organisation's members (default: anyone). */ members?: readonly string[];
  } = {},
): Promise<WeComDriver> {
  const fake = await startFakeWeComApi({
    corpId: WECOM_CORP_ID,
    secret: WECOM_SECRET,
    agentId: WECOM_AGENT_ID,
    robotKeys: options.robotKeys ?? [],
    ...(options.members ? { members: options.members } : {}),
  });
  const app: TestApp = await startTestApp({
    env: {
      WECOM_API_BASE: fake.url,
      WECOM_CORP_ID,
      WECOM_AGENT_ID: String(WECOM_AGENT_ID),
      WECOM_SECRET,
      WECOM_TOKEN,
      WECOM_ENCODING_AES_KEY: WECOM_AES_KEY,
      ...options.env,
    },
  });
  const roster = JSON.parse(readFileSync('data/demo-roster.json', 'utf8')) as { people: { id: string; identities: { channel: string; id: string }[] }[] };
  let msgIds = 0;
  let nonces = 0;
  /** Per UserID: how many app messages were already handed out (by say or notificationsTo). */
  const marks = new Map<string, number>();

  const textsTo = (userId: string) =>
    fake
      .appMessages()
      .filter((m) => m.touser === userId)
      .map((m) => m.content);
  const takeNew = (userId: string) => {
    const all = textsTo(userId);
    const fresh = all.slice(marks.get(userId) ?? 0);
    marks.set(userId, all.length);
    return fresh;
  };

  const textXml = (userId: string, text: string, msgId: string) =>
    `<xml><ToUserName><![CDATA[${WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[${userId}]]></FromUserName>` +
    `<CreateTime>${Math.floor(app.clock.now / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId><AgentID>${WECOM_AGENT_ID}</AgentID></xml>`;

  const callback: WeComDriver['callback'] = async (innerXml, o = {}) => {
    const encrypted = wecomEncrypt(WECOM_AES_KEY, innerXml, o.corpId ?? WECOM_CORP_ID);
    const timestamp = o.timestamp ?? String(Math.floor(app.clock.now / 1000));
    const nonce = String(300000 + ++nonces);
    const query = new URLSearchParams({ msg_signature: getSignature(o.token ?? WECOM_TOKEN, timestamp, nonce, encrypted), timestamp, nonce });
    const body = `<xml><ToUserName><![CDATA[${WECOM_CORP_ID}]]></ToUserName><AgentID><![CDATA[${WECOM_AGENT_ID}]]></AgentID><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
    const r = await app.daiban.server.inject({
      method: 'POST',
      url: `/wechat/wecom?${query.toString()}`,
      headers: { 'content-type': 'text/xml' },
      payload: body,
    });
    return { statusCode: r.statusCode, body: r.body };
  };

  return {
    channel: 'wecom',
    app,
    fake,
    callback,
    textXml,
    async bind(person) {
      const entry = roster.people.find((p) => p.id === person || p.identities.some((i) => i.id === person));
      if (!entry) throw new Error(`${person} is not in the demo roster`);
      if (!entry.identities.some((i) => i.channel === 'wecom')) entry.identities.push({ channel: 'wecom', id: userIdOf(person) });
      const r = await app.daiban.server.inject({ method: 'PUT', url: '/api/admin/roster', headers: auth, payload: roster });
      if (r.statusCode !== 200) throw new Error(`roster load failed: ${r.body}`);
    },
    async say(person, text) {
      const userId = userIdOf(person);
      takeNew(userId);
      app.clock.now += 60_000;
      const r = await callback(textXml(userId, text, String(7_000_000_000_000_000_000n + BigInt(++msgIds))));
      if (r.statusCode !== 200) throw new Error(`callback answered ${r.statusCode}: ${r.body}`);
      await app.settle();
      return takeNew(userId);
    },
    sayInRoom: null,
    async notificationsTo(person, atLeast) {
      const userId = userIdOf(person);
      const from = marks.get(userId) ?? 0;
      for (let i = 0; i < 200; i++) {
        const fresh = textsTo(userId).slice(from);
        if (fresh.length >= atLeast) {
          marks.set(userId, from + fresh.length);
          return fresh;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`fewer than ${atLeast} WeCom messages to ${userId} after 10 s`);
    },
    async close() {
      await app.close();
      await fake.close();
    },
  };
}
