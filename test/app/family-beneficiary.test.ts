import { afterEach, describe, expect, it } from 'vitest';
import { openUseCaseApp, type UseCaseApp } from '../support/use-case-app.ts';

/** 给谁办 by chat: the family member as a person (relation by meaning, not yet named, age, contact). */

let app: UseCaseApp | null = null;
afterEach(() => {
  app?.close();
  app = null;
});

const last = (replies: string[]) => replies.join('\n=====\n');
const storedBeneficiary = (a: UseCaseApp) =>
  JSON.parse(
    a.database.sqlite.prepare<[], { beneficiary: string }>('SELECT beneficiary FROM errands ORDER BY id DESC LIMIT 1').get()?.beneficiary ?? '{}',
  ) as unknown;

describe('a grandmother files her grandson’s 出生登记', () => {
  it('"给孙子上户口" is family and 孙子 at once; "还没起名" is not a name; she signs as guardian', async () => {
    app = openUseCaseApp();
    await app.say('zhang-xiuhua', '出生登记');
    expect(last(await app.say('zhang-xiuhua', '1'))).toContain('这件事是给谁办？');
    const askName = last(await app.say('zhang-xiuhua', '给孙子上户口'));
    expect(askName).toContain('请说您孙子的姓名。');
    expect(askName).toContain('还没取名');
    const entrustment = last(await app.say('zhang-xiuhua', '还没起名'));
    expect(entrustment).toContain('办事人：您的孙子（还没取名）');
    expect(entrustment).toContain('由您作为监护人签这份委托');
    expect(entrustment).not.toMatch(/请还没|还没起名在委托书/);
    for (const answer of ['同意', '同意', '知道了']) await app.say('zhang-xiuhua', answer);
    expect(last(await app.say('zhang-xiuhua', '确认提交'))).toContain('会尽快联系您收材料');
    expect(storedBeneficiary(app)).toEqual({ kind: 'family', name: null, relation: '孙子', ageGroup: 'newborn', phone: null, whereabouts: null });
  });
});

describe('a daughter files for her mother', () => {
  it('takes a dialect relation word, asks the age once, and lets the phone be skipped', async () => {
    app = openUseCaseApp();
    await app.say('liu-fang', '医疗费用报销');
    await app.say('liu-fang', '1');
    expect(last(await app.say('liu-fang', '2'))).toContain('请说您家里人的姓名。');
    expect(last(await app.say('liu-fang', '李桂兰'))).toContain('李桂兰是您的什么人？');
    expect(last(await app.say('liu-fang', '老娘'))).toContain('李桂兰多大了？');
    expect(last(await app.say('liu-fang', '4'))).toContain('李桂兰的手机号是多少？');
    expect(last(await app.say('liu-fang', '她不会用手机'))).toContain('代办员去哪里找李桂兰？');
    const entrustment = last(await app.say('liu-fang', '跟我住'));
    expect(entrustment).toContain('办事人：李桂兰（您的母亲）');
    for (const answer of ['同意', '同意']) await app.say('liu-fang', answer);
    const summary = last(await app.say('liu-fang', '知道了'));
    expect(summary).toContain('李桂兰的电话：没有');
    expect(summary).toContain('去哪找李桂兰：跟我住');
    await app.say('liu-fang', '确认提交');
    expect(storedBeneficiary(app)).toEqual({ kind: 'family', name: '李桂兰', relation: '母亲', ageGroup: 'elderly', phone: null, whereabouts: '跟我住' });
  });

  it('does not take "还没取名" for a mother: the name is asked again', async () => {
    app = openUseCaseApp();
    await app.say('liu-fang', '医疗费用报销');
    await app.say('liu-fang', '1');
    expect(last(await app.say('liu-fang', '帮我妈办'))).toBe('请说您母亲的姓名。');
    const again = last(await app.say('liu-fang', '还没取名'));
    expect(again).toContain('没太明白');
    expect(again).not.toContain('代办委托');
  });
});
