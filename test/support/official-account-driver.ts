import type { ChannelDriver } from './channel-driver.ts';
import { startFakeWeChatApi } from './fake-wechat-api.ts';
import { createOaClient } from './oa-client.ts';
import { addRosterIdentities } from './roster-identities.ts';
import { startTestApp } from './test-app.ts';

const TOKEN = 'oaDriverToken1';
const APPID = 'wx49f0ab532d5d035a';
const SECRET = 'fakeSecret0123456789abcdef012345';

/**
 * The Official Account as a conformance driver: people speak through the signed webhook (plain
 * mode) and hear notifications through the fake WeChat API's customer-service sends. A roster
 * person is bound by loading the roster with an OpenID for them; anyone else is a new follower.
 */
export async function startOfficialAccountDriver(): Promise<ChannelDriver> {
  const fake = await startFakeWeChatApi({ appId: APPID, secret: SECRET });
  const app = await startTestApp({ env: { WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_APPID: APPID, WECHAT_OA_SECRET: SECRET, WECHAT_API_BASE: fake.url } });
  const oa = createOaClient(app.daiban.server, TOKEN, () => app.clock.now);
  const openIdOf = (person: string) => `o${Buffer.from(person).toString('hex').padEnd(27, '0').slice(0, 27)}`;
  const bound = new Map<string, string>();
  return {
    channel: 'official-account',
    app,
    async bind(person) {
      bound.set(person, openIdOf(person));
      await addRosterIdentities(app, 'official-account', bound);
    },
    async say(person, text) {
      app.clock.now += 60_000;
      const reply = await oa.text(openIdOf(person), text);
      return reply ? [reply] : [];
    },
    sayInRoom: null,
    async notificationsTo(person, atLeast) {
      for (let i = 0; i < 200; i++) {
        const texts = fake
          .delivered()
          .filter((d) => d.touser === openIdOf(person))
          .map((d) => d.content);
        if (texts.length >= atLeast) return texts;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`fewer than ${atLeast} customer-service messages reached ${person}`);
    },
    async close() {
      await app.close();
      await fake.close();
    },
  };
}
