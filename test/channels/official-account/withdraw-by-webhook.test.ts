import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homesteadAnswers } from '../../support/intake.ts';
import { createOaClient, type OaClient } from '../../support/oa-client.ts';
import { bindFollower } from '../../support/official-account-follower.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { until } from '../../support/until.ts';

/**
 * Withdrawing after 收件 from the Official Account, through the real webhook: the follower is told
 * before confirming which materials come back, the agent gets the task, 退还 records it, and the
 * follower is told the materials were returned.
 */

const TOKEN = 'oaWithdrawToken3';
let app: TestApp;
let oa: OaClient;
beforeAll(async () => {
  app = await startTestApp({ env: { WECHAT_OA_TOKEN: TOKEN } });
  oa = createOaClient(app.daiban.server, TOKEN, () => app.clock.now);
});
afterAll(async () => {
  await app.close();
});

const lw = 'lw-agents@chatroom';
const writtenTo = (openid: string) =>
  app.daiban.database.sqlite
    .prepare<[string], { text: string }>("SELECT text FROM outbox WHERE channel = 'official-account' AND recipient = ? ORDER BY id")
    .all(openid)
    .map((r) => r.text);

describe('withdrawing after 收件 through the Official Account webhook', () => {
  it('tells the follower what comes back, gives the agent the task, and tells the follower once 退还 is recorded', async () => {
    const openid = `oWithdraw${process.pid}x1`;
    bindFollower(app, openid, 'liu');
    let last = await oa.text(openid, '宅基地建房');
    for (const answer of homesteadAnswers) last = await oa.text(openid, answer);
    const receipt = /DB\d{9,}/.exec(last)?.[0];
    expect(receipt).toBeDefined();
    expect((await app.say('agent-sun', `接单 ${receipt}`, lw))[0]).toContain('接单');
    expect((await app.say('agent-sun', `收件 ${receipt}`, lw))[0]).toContain('已收件');

    const confirm = await oa.text(openid, `撤回 ${receipt}`);
    expect(confirm).toContain(`确定要撤回【${receipt} 农村宅基地和建房申请】吗？`);
    expect(confirm).toContain('您交给代办员的材料会退还给您：');
    const done = await oa.text(openid, '确认撤回');
    expect(done).toContain('代办员孙建国会尽快把材料退还给您');

    const [list] = await app.say('agent-sun', '待办');
    expect(list).toContain(`待退还材料（1 件`);
    expect(list).toContain(`${receipt} 农村宅基地和建房申请（刘芳）已撤回，退还：`);
    expect((await app.say('agent-sun', `退还 ${receipt} 已交给本人`, lw))[0]).toContain(`已记录：${receipt} 的材料已退还`);
    await until(() => writtenTo(openid).some((t) => t.includes('材料已退还')), 'the follower to be told the materials were returned');
    expect(writtenTo(openid).find((t) => t.includes('材料已退还'))).toContain('说明：已交给本人');
  });
});
