import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { insertOutbox } from '../../src/db/outbox-repository.ts';
import { startFakeWeChatApi, type FakeTemplateFields, type FakeWeChatApi } from './fake-wechat-api.ts';
import { createOaClient } from './oa-client.ts';
import { startTestApp, type TestApp } from './test-app.ts';

/** Driving an Official Account follower in an integration test: their messages over the webhook, notifications to them. */

export const OA_TOKEN = 'oaTestToken42';
export const OA_APPID = 'wx49f0ab532d5d035a';
export const OA_SECRET = 'fakeSecret0123456789abcdef012345';

/** The follower writes to the account (a signed webhook push at the test clock's time). */
export async function followerWrites(app: TestApp, openid: string, content: string): Promise<void> {
  await createOaClient(app.daiban.server, OA_TOKEN, () => app.clock.now).text(openid, content);
}

/** Binds the follower's OpenID to a roster person (as registration does); a new identity has never written (no last_message_at). */
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
  const [id] = db.write(() =>
    insertOutbox(db, [{ channel: 'official-account', recipient: openid, room: null, text, kind: 'notification', errandId }], app.clock.now),
  );
  return id!;
}

/**
 * A whole Daiban whose Official Account sends through the fake WeChat API, with a templates file
 * (WECHAT_OA_TEMPLATES_PATH) and the templates the fake knows (endpoint, template id, field types).
 */
export async function startOfficialAccountApp(
  name: string,
  templatesYaml: string,
  known: readonly ['template_send' | 'subscribe_send', string, FakeTemplateFields][],
): Promise<{ fake: FakeWeChatApi; app: TestApp }> {
  const fake = await startFakeWeChatApi({ appId: OA_APPID, secret: OA_SECRET });
  for (const [endpoint, id, fields] of known) fake.addTemplate(endpoint, id, fields);
  const dir = join(process.cwd(), '.tmp', `${name}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'wechat-templates.yaml'), templatesYaml);
  const app = await startTestApp({
    env: {
      WECHAT_OA_TOKEN: OA_TOKEN,
      WECHAT_OA_APPID: OA_APPID,
      WECHAT_OA_SECRET: OA_SECRET,
      WECHAT_API_BASE: fake.url,
      WECHAT_OA_TEMPLATES_PATH: join(dir, 'wechat-templates.yaml'),
    },
  });
  return { fake, app };
}
