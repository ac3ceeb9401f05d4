import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileErrandByChat, homesteadAnswers } from '../../support/intake.ts';
import { startMiniProgram, type MiniProgramHarness } from '../../support/mini-program.ts';
import { createOaClient, type OaClient } from '../../support/oa-client.ts';
import { bindFollower, OA_APPID, OA_SECRET, OA_TOKEN } from '../../support/official-account-follower.ts';

/**
 * One person on two WeChat apps: with the Official Account and the mini-program of one open
 * platform, the workers ask WeChat (user/info) for each follower's UnionID, and the mini-program's
 * login brings its own; identities sharing one are linked to the one person they belong to, either
 * way round. Two different people are never merged.
 */

let mp: MiniProgramHarness;
let oa: OaClient;
beforeAll(async () => {
  mp = await startMiniProgram(
    { WECHAT_OA_TOKEN: OA_TOKEN, WECHAT_OA_APPID: OA_APPID, WECHAT_OA_SECRET: OA_SECRET },
    { otherApps: [{ appId: OA_APPID, secret: OA_SECRET }] },
  );
  oa = createOaClient(mp.app.daiban.server, OA_TOKEN, () => mp.app.clock.now);
});
afterAll(async () => {
  await mp?.close();
});

const identity = (channel: string, externalId: string) =>
  mp.app.daiban.database.sqlite
    .prepare<[string, string], { personId: string | null; unionId: string | null; checkedAt: number | null }>(
      'SELECT person_id AS personId, union_id AS unionId, union_checked_at AS checkedAt FROM channel_identities WHERE channel = ? AND external_id = ?',
    )
    .get(channel, externalId);
const userInfoCalls = (openId: string) => mp.api.requests.filter((r) => r.endpoint === 'user_info' && r.query.openid === openId);

describe('linking by UnionID', () => {
  it("finds a follower's errands in the mini-program without registering again", async () => {
    const follower = 'oOaUnionLiu000000000001';
    bindFollower(mp.app, follower, 'liu');
    const receipt = await fileErrandByChat(mp.app, 'liu-fang', '宅基地建房', homesteadAnswers);
    mp.api.addFollower(follower, 'union-liu');
    await expect.poll(() => identity('official-account', follower)?.unionId, { timeout: 10_000 }).toBe('union-liu');
    // Asked once, with the Official Account's token, in Chinese.
    expect(userInfoCalls(follower).map((r) => r.query.lang)).toEqual(['zh_CN']);

    const token = await mp.login('oMpUnionLiu00000000001', 'union-liu');
    expect((await mp.call('GET', '/api/mp/me', token)).json()).toMatchObject({ registered: true, person: { id: 'liu', name: '刘芳' } });
    const errands = (await mp.call('GET', '/api/mp/errands', token)).json<{ errands: { receiptNo: string }[] }>().errands;
    expect(errands.map((e) => e.receiptNo)).toContain(receipt);
  });

  it('links a follower who comes later to the person who registered in the mini-program', async () => {
    const token = await mp.login('oMpUnionHe000000000001', 'union-he');
    expect((await mp.call('POST', '/api/mp/registration', token, { name: '何小梅', villageCode: 'qs-lw', phone: '13700004321' })).statusCode).toBe(201);
    const personId = identity('mini-program', 'oMpUnionHe000000000001')?.personId;
    expect(personId).toBeTruthy();

    const follower = 'oOaUnionHe000000000001';
    mp.api.addFollower(follower, 'union-he');
    // A newcomer to the account: asked to register, for now.
    expect(await oa.text(follower, '你好')).toMatch(/个人信息说明/);
    await expect.poll(() => identity('official-account', follower)?.personId, { timeout: 10_000 }).toBe(personId);
    expect(await oa.text(follower, '你好')).toMatch(/何小梅/);
  });

  it('never merges two different people, and asks WeChat once for a follower it has no UnionID for', async () => {
    const follower = 'oOaUnionWang00000000001';
    bindFollower(mp.app, follower, 'wang');
    mp.api.addFollower(follower, 'union-shared');
    const token = await mp.login('oMpUnionOther0000000001', 'union-shared');
    await mp.call('POST', '/api/mp/registration', token, { name: '赵大', villageCode: 'qs-sq', phone: '13700005678' });
    await expect.poll(() => identity('official-account', follower)?.unionId, { timeout: 10_000 }).toBe('union-shared');
    expect(identity('official-account', follower)?.personId).toBe('wang');
    expect(identity('mini-program', 'oMpUnionOther0000000001')?.personId).not.toBe('wang');

    const unknown = 'oOaUnionNobody000000001';
    bindFollower(mp.app, unknown, 'zhang');
    await expect.poll(() => identity('official-account', unknown)?.checkedAt ?? null, { timeout: 10_000 }).not.toBeNull();
    await mp.app.daiban.sweep();
    await new Promise((r) => setTimeout(r, 600));
    expect(userInfoCalls(unknown)).toHaveLength(1);
    expect(identity('official-account', unknown)).toMatchObject({ unionId: null, personId: 'zhang' });
  });
});
