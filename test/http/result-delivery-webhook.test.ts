import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findErrandByReceipt } from '../../src/db/errand-repository.ts';
import { OA_TOKEN, bindFollower, followerWrites } from '../support/official-account-follower.ts';
import { createOaClient } from '../support/oa-client.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Issue 13 items 5 and 6 over the Official Account webhook: an elderly, left-behind follower (张秀花)
 * whose 派单 result is brought home and who may choose to fetch it; a follower asking for an ID card
 * is told what she must do in person.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { WECHAT_OA_TOKEN: OA_TOKEN, WECHAT_OA_APPID: 'wx49f0ab532d5d035a' } });
  // 张秀花 and 刘芳 are reached on the Official Account only.
  app.daiban.database.sqlite.prepare("DELETE FROM channel_identities WHERE person_id IN ('zhang', 'liu') AND channel = 'simulator'").run();
  bindFollower(app, 'oZhangResult', 'zhang');
  bindFollower(app, 'oLiuIdCard', 'liu');
});
afterAll(async () => {
  await app?.close();
});

const centre = 'qs-centre@chatroom';
const agents = 'sq-agents@chatroom';
const texts = (openid: string) =>
  app.daiban.database.sqlite
    .prepare<[string], { text: string }>("SELECT text FROM outbox WHERE channel = 'official-account' AND recipient = ? ORDER BY id")
    .all(openid)
    .map((r) => r.text);
const oa = () => createOaClient(app.daiban.server, OA_TOKEN, () => app.clock.now);

describe('results brought home, over the Official Account', () => {
  it('tells the follower the agent brings the result home; 我自己去取 and 送到家里 by WeChat are recorded on the errand', async () => {
    const [dispatched] = await app.say('centre-chen', '派单 石桥村 高龄津贴 张秀花 入户核实', centre);
    const receiptNo = /DB\d{9}/.exec(dispatched ?? '')?.[0] ?? '';
    expect(receiptNo).not.toBe('');
    expect(findErrandByReceipt(app.daiban.database, receiptNo)?.entrustmentStatus).toBe('centre');

    const answer = await oa().text('oZhangResult', '我自己去取');
    expect(answer).toContain(`${receiptNo}（高龄津贴）的结果您自己去取`);
    expect(findErrandByReceipt(app.daiban.database, receiptNo)?.resultDelivery).toBe('self');

    // She changes her mind: the agent brings it after all.
    expect(await oa().text('oZhangResult', '送到家里')).toContain('结果由代办员送到您家');
    await app.say('agent-li', `取件 ${receiptNo}`, agents);
    await app.say('agent-li', `已办 ${receiptNo} 已入户核实`, agents);
    await app.say('agent-li', `交回 ${receiptNo}`, agents);
    expect(await app.say('centre-chen', `收到 ${receiptNo}`, centre)).toEqual([`已收到 ${receiptNo}，已请代办员把结果送到村民家。`]);
    const notice = texts('oZhangResult').find((t) => t.includes('已办好'));
    expect(notice).toContain('会把结果送到您家，不用您跑');
    expect(texts('oZhangResult').join('\n')).not.toContain('请带身份证到');
  });
});

describe('in-person steps, over the Official Account', () => {
  it('says in the guide that the ID card needs her photo and fingerprints at the police station, and that the agent goes along', async () => {
    await followerWrites(app, 'oLiuIdCard', '补办身份证');
    const guide = texts('oLiuIdCard').find((t) => t.includes('【居民身份证申领/换领/补领】')) ?? '';
    expect(guide).toContain('要本人去：照相、采集指纹，在户口所在地派出所户籍窗口');
    const entrustment = await oa()
      .text('oLiuIdCard', '1')
      .then(() => oa().text('oLiuIdCard', '1'));
    const shown = entrustment || texts('oLiuIdCard').at(-1) || '';
    expect(shown).toContain('★ 要您本人做的：照相、采集指纹');
    expect(shown).toContain('代办员帮您约好时间、陪您去');
    expect(shown).not.toContain('代办员替您照相');
  });
});
