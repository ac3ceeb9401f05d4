import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelDriver } from '../support/channel-driver.ts';
import { startOfficialAccountDriver } from '../support/official-account-driver.ts';
import { auth } from '../support/test-app.ts';

/**
 * A migrant worker files for his father through the Official Account webhook: 给谁办 in his own
 * words, the father's age, phone and whereabouts; the agent is told privately how to reach the
 * father, the village group only a masked name; the errand view shows the person record.
 */

let driver: ChannelDriver;
beforeAll(async () => {
  driver = await startOfficialAccountDriver();
  await driver.bind('wang-xiaojun');
});
afterAll(async () => {
  await driver?.close();
});

const outboxTexts = (where: string, value: string) =>
  driver.app.daiban.database.sqlite
    .prepare<[string], { text: string }>(`SELECT text FROM outbox WHERE ${where} = ? ORDER BY id`)
    .all(value)
    .map((r) => r.text);

describe('a family errand through the Official Account', () => {
  let receiptNo = '';

  it('reads 给谁办 by meaning, asks the father’s age, phone and whereabouts, and files the errand', async () => {
    const say = async (text: string) => (await driver.say('wang-xiaojun', text)).join('\n');
    expect(await say('医疗费用报销')).toContain('【医疗费用报销】');
    expect(await say('1')).toContain('这件事是给谁办？');
    expect(await say('我老汉儿的')).toBe('请说您父亲的姓名。');
    expect(await say('王德明')).toContain('王德明多大了？');
    expect(await say('七十多了')).toContain('王德明的手机号是多少？');
    expect(await say('13900000031')).toContain('代办员去哪里找王德明？');
    const entrustment = await say('在村里屋头，2组大院子');
    expect(entrustment).toContain('办事人：王德明（您的父亲）');
    expect(entrustment).toContain('代办员会上门找王德明，请王德明在委托书上签字');
    await say('同意');
    await say('同意');
    expect(await say('知道了')).toContain('王德明的电话：13900000031');
    const created = await say('确认提交');
    expect(created).toContain('会尽快联系王德明，上门收材料');
    receiptNo = /DB\d{9}/.exec(created)?.[0] ?? '';
    expect(receiptNo).not.toBe('');
  });

  it('tells the agent privately how to reach the father; the village group sees no name, phone or whereabouts', () => {
    const agent = outboxTexts('recipient', 'agent-li').join('\n');
    expect(agent).toContain('王德明电话：13900000031；去哪找：在村里屋头，2组大院子');
    expect(agent).toContain('请直接联系王德明收材料');
    const room = outboxTexts('room', 'sq-agents@chatroom').join('\n');
    expect(room).toContain(receiptNo);
    expect(room).toContain('王*军');
    for (const secret of ['王德明', '王小军', '13900000031', '13900000012', '2组大院子']) expect(room).not.toContain(secret);
  });

  it('shows the person record in GET /api/errands/<receiptNo>', async () => {
    const r = await driver.app.daiban.server.inject({ method: 'GET', url: `/api/errands/${receiptNo}`, headers: auth });
    expect(r.statusCode).toBe(200);
    expect(r.json<{ beneficiary: unknown }>().beneficiary).toEqual({
      kind: 'family',
      name: '王德明',
      relation: '父亲',
      ageGroup: 'elderly',
      phone: '13900000031',
      whereabouts: '在村里屋头，2组大院子',
    });
  });
});
