import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWeChatApi, type FakeWeChatApi } from '../../support/fake-wechat-api.ts';
import { fileErrandByChat, homesteadAnswers } from '../../support/intake.ts';
import { createOaClient, type OaClient } from '../../support/oa-client.ts';
import { bindFollower, OA_APPID, OA_SECRET, OA_TOKEN } from '../../support/official-account-follower.ts';
import { auth, startTestApp, type TestApp } from '../../support/test-app.ts';

/**
 * A follower's photo is kept by media id, then fetched from the (fake) WeChat media API by the
 * workers' sweep — WeChat keeps temporary media three days — and shown with the errand through the
 * admin API. A photo WeChat no longer has says why, and is not asked for again.
 */

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0xff, 0xd9]);

let fake: FakeWeChatApi;
let app: TestApp;
let oa: OaClient;
let receipt: string;
const openid = 'oPhotoFollower000000000001';
beforeAll(async () => {
  fake = await startFakeWeChatApi({ appId: OA_APPID, secret: OA_SECRET });
  app = await startTestApp({ env: { WECHAT_OA_TOKEN: OA_TOKEN, WECHAT_OA_APPID: OA_APPID, WECHAT_OA_SECRET: OA_SECRET, WECHAT_API_BASE: fake.url } });
  oa = createOaClient(app.daiban.server, OA_TOKEN, () => app.clock.now);
  // 刘芳 follows the account; her errand is open.
  bindFollower(app, openid, 'liu');
  receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

interface Listed {
  id: number;
  channel: string;
  stored: boolean;
  problem: string | null;
  href: string;
}
const listed = async () => {
  const r = await app.daiban.server.inject({ method: 'GET', url: `/api/errands/${receipt}`, headers: auth });
  expect(r.statusCode).toBe(200);
  return r.json<{ photos: Listed[] }>().photos;
};
const sendPhoto = async (mediaId: string) => {
  const kept = await oa.push(openid, 'image', `<PicUrl><![CDATA[http://mmbiz.qpic.cn/${mediaId}]]></PicUrl><MediaId><![CDATA[${mediaId}]]></MediaId>`);
  expect(kept.reply).toContain(receipt);
};
const mediaCalls = (mediaId: string) => fake.requests.filter((r) => r.endpoint === 'media_get' && r.query.media_id === mediaId).length;

describe('Official Account photos', () => {
  it('fetches a photo from WeChat soon after it arrives and shows it with the errand', async () => {
    fake.addMedia('media-material-1', JPEG, 'image/jpeg');
    await sendPhoto('media-material-1');
    await expect.poll(async () => (await listed()).map((p) => p.stored), { timeout: 10_000 }).toEqual([true]);
    const [photo] = await listed();
    expect(photo).toMatchObject({ channel: 'official-account', problem: null, href: `/api/errands/${receipt}/photos/${photo!.id}` });
    const shown = await app.daiban.server.inject({ method: 'GET', url: photo!.href, headers: auth });
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['content-type']).toBe('image/jpeg');
    expect(shown.rawPayload.equals(JPEG)).toBe(true);
    // Kept as our own file: showing it again does not ask WeChat.
    await app.daiban.server.inject({ method: 'GET', url: photo!.href, headers: auth });
    expect(mediaCalls('media-material-1')).toBe(1);
    // Only admins see photos.
    expect((await app.daiban.server.inject({ method: 'GET', url: photo!.href })).statusCode).toBe(401);
  });

  it('says why a photo WeChat no longer has cannot be shown, and does not ask for it again', async () => {
    await sendPhoto('media-expired-2');
    await expect.poll(async () => (await listed())[1]?.problem ?? null, { timeout: 10_000 }).toMatch(/no longer has this photo/);
    const gone = (await listed())[1]!;
    expect(gone.stored).toBe(false);
    const shown = await app.daiban.server.inject({ method: 'GET', url: gone.href, headers: auth });
    expect(shown.statusCode).toBe(404);
    expect(shown.body).toMatch(/no longer has this photo/);
    await app.daiban.sweep();
    await new Promise((r) => setTimeout(r, 600));
    expect(mediaCalls('media-expired-2')).toBe(1);
  });

  it('fetches with a fresh access token when WeChat rejects the cached one (40001)', async () => {
    fake.addMedia('media-material-3', JPEG, 'image/jpeg');
    fake.invalidateTokens();
    const tokensBefore = fake.requests.filter((r) => r.endpoint === 'stable_token').length;
    await sendPhoto('media-material-3');
    await expect.poll(async () => (await listed())[2]?.stored, { timeout: 10_000 }).toBe(true);
    expect(fake.requests.filter((r) => r.endpoint === 'media_get' && r.query.media_id === 'media-material-3').map((r) => r.answer.errcode)).toEqual([40001, 0]);
    expect(fake.requests.filter((r) => r.endpoint === 'stable_token').length).toBe(tokensBefore + 1);
  });

  it('takes an error page on the way for a passing failure, and stores the photo once WeChat sends it', async () => {
    fake.addMedia('media-material-4', Buffer.from('<html><body>502 Bad Gateway</body></html>'), 'text/html');
    await sendPhoto('media-material-4');
    const attempts = () =>
      app.daiban.database.sqlite.prepare<[string], { n: number }>('SELECT fetch_attempts AS n FROM errand_photos WHERE media_id = ?').get('media-material-4')
        ?.n ?? 0;
    await expect.poll(attempts, { timeout: 10_000 }).toBeGreaterThan(0);
    expect((await listed())[3]).toMatchObject({ stored: false, problem: null });
    fake.addMedia('media-material-4', JPEG, 'image/jpeg');
    await expect.poll(async () => (await listed())[3]?.stored, { timeout: 10_000 }).toBe(true);
  });

  it('answers 404 for a photo the errand does not have, and 400 for a malformed address', async () => {
    expect((await app.daiban.server.inject({ method: 'GET', url: `/api/errands/${receipt}/photos/999999`, headers: auth })).statusCode).toBe(404);
    expect((await app.daiban.server.inject({ method: 'GET', url: `/api/errands/${receipt}/photos/abc`, headers: auth })).statusCode).toBe(400);
    expect((await app.daiban.server.inject({ method: 'GET', url: '/api/errands/nonsense/photos/1', headers: auth })).statusCode).toBe(400);
  });
});
