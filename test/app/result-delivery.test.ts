import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findErrandByReceipt } from '../../src/db/errand-repository.ts';
import { isPriorityResident, resultDeliveryOf } from '../../src/domain/result-delivery.ts';
import { openUseCaseApp, type UseCaseApp } from '../support/use-case-app.ts';

/**
 * Results brought home (issue 13 item 5): the priority groups get the result from the agent unless they
 * choose to fetch it; a 派单 records that nothing was signed; refusals name the review routes (item 6).
 */

let app: UseCaseApp;
beforeEach(() => {
  app = openUseCaseApp();
});
afterEach(() => app.close());

const centre = 'qs-centre@chatroom';
const agents = 'sq-agents@chatroom';
const lastTo = async (to: string) => Promise.resolve(app.written({ to }).at(-1)?.text ?? '');

/** 派单 for 张秀花 (elderly, left-behind) handled by the agent and handed back to the centre. */
async function dispatchedAndHandedBack(): Promise<void> {
  await app.say('centre-chen', '派单 石桥村 高龄津贴 张秀花 入户核实', centre);
  await app.say('agent-li', '取件 DB261201001', agents);
  await app.say('agent-li', '已办 DB261201001 已入户核实', agents);
  await app.say('agent-li', '交回 DB261201001', agents);
}

describe('who gets the result brought home', () => {
  it('is the elderly, disabled, left-behind and remote, unless they chose otherwise', () => {
    expect(isPriorityResident(['elderly'], false)).toBe(true);
    expect(isPriorityResident(['left_behind'], false)).toBe(true);
    expect(isPriorityResident(['disabled'], false)).toBe(true);
    expect(isPriorityResident([], true)).toBe(true);
    expect(isPriorityResident(['migrant'], false)).toBe(false);
    expect(resultDeliveryOf(null, true)).toBe('home');
    expect(resultDeliveryOf(null, false)).toBe('self');
    expect(resultDeliveryOf('self', true)).toBe('self');
    expect(resultDeliveryOf('home', false)).toBe('home');
  });
});

describe('a 派单 for an elderly left-behind resident', () => {
  it('records no signed entrustment, and the agent sees the result goes home', async () => {
    await app.say('centre-chen', '派单 石桥村 高龄津贴 张秀花 入户核实', centre);
    expect(findErrandByReceipt(app.database, 'DB261201001')?.entrustmentStatus).toBe('centre');
    const entrustments = app.database.sqlite.prepare('SELECT count(*) AS n FROM entrustments').get() as { n: number };
    expect(entrustments.n).toBe(0);
    await app.say('agent-li', '取件 DB261201001', agents);
    const details = await lastTo('agent-li');
    expect(details).toContain('委托：村民在服务中心直接申请，没有签代办委托书');
    expect(details).not.toContain('纸质委托书已签');
    expect(details).toContain('结果：送到家');
  });

  it('is never told to travel: the agent is sent to bring the result home', async () => {
    await dispatchedAndHandedBack();
    const [reply] = await app.say('centre-chen', '收到 DB261201001', centre);
    expect(reply).toBe('已收到 DB261201001，已请代办员把结果送到村民家。');
    const toResident = app.written({ to: 'zhang-xiuhua' }).map((r) => r.text);
    const collect = toResident.find((t) => t.includes('已办好'));
    expect(collect).toContain('代办员李明会把结果送到您家，不用您跑');
    expect(collect).toContain('我自己去取');
    expect(toResident.join('\n')).not.toContain('请带身份证到');
    expect(
      app
        .written({ to: 'agent-li' })
        .map((r) => r.text)
        .join('\n'),
    ).toContain('【送到家】DB261201001 高龄津贴');
  });

  it('lets her choose to fetch it herself, and then tells her where; the agent hears the choice', async () => {
    await app.say('centre-chen', '派单 石桥村 高龄津贴 张秀花 入户核实', centre);
    const [answer] = await app.say('zhang-xiuhua', '我自己去取');
    expect(answer).toContain('DB261201001（高龄津贴）的结果您自己去取');
    expect(findErrandByReceipt(app.database, 'DB261201001')?.resultDelivery).toBe('self');
    expect(await lastTo('agent-li')).toBe('DB261201001 高龄津贴（张秀花）：村民选择自己去取结果。');
    await app.say('agent-li', '取件 DB261201001', agents);
    expect(await lastTo('agent-li')).toContain('结果：村民自己取');
    await app.say('agent-li', '已办 DB261201001 已入户核实', agents);
    await app.say('agent-li', '交回 DB261201001', agents);
    const [reply] = await app.say('centre-chen', '收到 DB261201001', centre);
    expect(reply).toBe('已收到 DB261201001，已通知村民来取件。');
    const collect = app.written({ to: 'zhang-xiuhua' }).find((r) => r.text.includes('已办好'))?.text;
    expect(collect).toContain('请带身份证到青山镇便民服务中心取件');
    expect(collect).toContain('想让代办员送到家，回复“送到家里”');
    expect(
      app
        .written({ to: 'agent-li' })
        .map((r) => r.text)
        .join('\n'),
    ).not.toContain('【送到家】');
  });

  it('switches back to home delivery with 送到家里', async () => {
    await app.say('centre-chen', '派单 石桥村 高龄津贴 张秀花 入户核实', centre);
    await app.say('zhang-xiuhua', '我自己去取');
    const [answer] = await app.say('zhang-xiuhua', '送到家里');
    expect(answer).toContain('结果由代办员送到您家');
    expect(findErrandByReceipt(app.database, 'DB261201001')?.resultDelivery).toBe('home');
  });

  it('answers plainly when nothing is waiting for a result', async () => {
    expect(await app.say('liu-fang', '送到家里')).toEqual(['现在没有等结果的代办。']);
  });
});

describe('a village → centre errand of a resident with no priority', () => {
  it('tells her the agent brings the result back to the village, and how to have it brought home', async () => {
    await app.say('agent-sun', '代办 刘芳 残疾证');
    await app.say('liu-fang', '同意');
    await app.say('liu-fang', '同意');
    await app.say('agent-sun', '收件 DB261201001');
    await app.say('agent-sun', '递交 DB261201001');
    await app.say('centre-chen', '受理 DB261201001', centre);
    await app.say('centre-chen', '办结 DB261201001 已评定为肢体四级', centre);
    const completed = await lastTo('liu-fang');
    expect(completed).toContain('代办员会把结果带回村里，通知您来取。想让代办员送到家，回复“送到家里”。');
    expect(await lastTo('agent-sun')).toContain('请把结果带回村里，通知村民来取');
  });
});

describe('refusals carry the right to review', () => {
  it('names the reason, 行政复议 within 60 days and 行政诉讼 within 6 months, and asks the agent to explain at home', async () => {
    await app.say('agent-li', '代办 张秀花 高龄津贴');
    await app.say('zhang-xiuhua', '同意');
    await app.say('zhang-xiuhua', '同意');
    await app.say('agent-li', '收件 DB261201001');
    await app.say('agent-li', '递交 DB261201001');
    await app.say('centre-chen', '受理 DB261201001', centre);
    const [reply] = await app.say('centre-chen', '办结 DB261201001 不予批准，未满80周岁', centre);
    expect(reply).toContain('60日内，县人民政府');
    expect(reply).toContain('6个月内，县人民法院');
    expect(reply).toContain('已请代办员上门当面解释');
    const notice = await lastTo('zhang-xiuhua');
    expect(notice).toContain('没有批准，原因：不予批准，未满80周岁');
    expect(notice).toContain('知道决定之日起60日内，向县人民政府申请行政复议');
    expect(notice).toContain('知道决定之日起6个月内，向县人民法院提起行政诉讼');
    expect(notice).toContain('代办员会上门把书面决定交给您');
    expect(await lastTo('agent-li')).toContain('请上门当面讲清楚原因和复议、诉讼的办法');
  });

  it('says the routes on an agent’s 不予代办 too, and that the resident may still apply herself', async () => {
    await app.say('agent-sun', '代办 刘芳 残疾证');
    const [reply] = await app.say('agent-sun', '不予代办 DB261201001 残疾评定要本人到县残联指定医院');
    expect(reply).toBe('已不予代办 DB261201001，原因和可以怎么申请复议、诉讼已告诉村民。');
    const notice = await lastTo('liu-fang');
    expect(notice).toContain('不能代办，原因：残疾评定要本人到县残联指定医院');
    expect(notice).toContain('您也可以自己到乡镇便民服务中心残联窗口');
    expect(notice).toContain('60日内，向县人民政府申请行政复议');
    expect(notice).toContain('6个月内，向县人民法院提起行政诉讼');
  });

  it('gives no review routes for a service that is no administrative decision (快递)', async () => {
    await app.say('agent-sun', '代办 刘芳 代寄快递');
    await app.say('agent-sun', '不予代办 DB261201001 本村不通快递');
    const notice = app.written({ to: 'liu-fang' }).find((r) => r.text.includes('不能代办'))?.text;
    expect(notice).toContain('本村不通快递');
    expect(notice).not.toContain('行政复议');
  });
});
