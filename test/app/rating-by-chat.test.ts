import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fedBackErrand } from '../support/intake.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * 好差评 by chat through the simulator, numbered like stars: what a villager types is stored as the
 * level they meant — "五星好评" and "5" are 5 非常满意, never the worst review.
 */

let app: TestApp;
beforeAll(async () => {
  // Several errands for one resident in a minute: the per-person sending limit is not what is tested here.
  app = await startTestApp({ env: { OUTBOX_PERSON_PER_MINUTE: '500' } });
});
afterAll(async () => {
  await app.close();
});

const ratingsOf = (receipt: string) =>
  app.daiban.database.sqlite
    .prepare('SELECT r.round, r.level, r.reason_kind AS reasonKind FROM ratings r JOIN errands e ON e.id = r.errand_id WHERE e.receipt_no = ? ORDER BY r.id')
    .all(receipt);
const statusOf = (receipt: string) =>
  (app.daiban.database.sqlite.prepare('SELECT status FROM errands WHERE receipt_no = ?').get(receipt) as { status: string } | undefined)?.status;

describe('rating an errand by chat', () => {
  it('asks with every number beside its words, 5 the best', async () => {
    await fedBackErrand(app);
    const invitation = (await app.outbox({ to: 'liu-fang' })).at(-1)?.text ?? '';
    expect(invitation).toContain('5 最好，1 最差');
    expect(invitation).toContain('5. 非常满意（五星）');
    expect(invitation).toContain('1. 非常不满意（一星）');
    expect(invitation).not.toMatch(/^\d\.\s*$/m);
    await app.say('liu-fang', '5');
  });

  it('records "五星好评" as level 5 (非常满意) and closes the errand', async () => {
    const receipt = await fedBackErrand(app);
    const [reply] = await app.say('liu-fang', '五星好评');
    expect(reply).toBe('您打的是：5 非常满意（五星）。\n\n谢谢您的评价！以后有事随时找我。');
    expect(ratingsOf(receipt)).toEqual([{ round: 'first', level: 5, reasonKind: null }]);
    expect(statusOf(receipt)).toBe('closed');
  });

  it('records "5" as level 5 (非常满意), not the worst review: no reason asked, no rectification case', async () => {
    const receipt = await fedBackErrand(app);
    const [reply] = await app.say('liu-fang', '5');
    expect(reply).toContain('5 非常满意（五星）');
    expect(reply).not.toContain('是什么原因');
    expect(ratingsOf(receipt)).toEqual([{ round: 'first', level: 5, reasonKind: null }]);
    const cases = app.daiban.database.sqlite
      .prepare('SELECT count(*) AS n FROM rectification_cases c JOIN errands e ON e.id = c.errand_id WHERE e.receipt_no = ?')
      .get(receipt);
    expect(cases).toEqual({ n: 0 });
  });

  it('understands "挺好的" and 👍, and asks again — without losing the rating — when unsure', async () => {
    const receipt = await fedBackErrand(app);
    const [unsure] = await app.say('liu-fang', '好的');
    expect(unsure).toContain('没看明白您打几分');
    expect(unsure).toContain('5. 非常满意（五星）');
    const [still] = await app.say('liu-fang', '嗯嗯');
    expect(still).toContain('没看明白您打几分');
    expect(still).not.toContain('主菜单');
    const [thanks] = await app.say('liu-fang', '挺好的');
    expect(thanks).toContain('4 满意（四星）');
    expect(ratingsOf(receipt)).toEqual([{ round: 'first', level: 4, reasonKind: null }]);

    const second = await fedBackErrand(app);
    await app.say('liu-fang', '👍');
    expect(ratingsOf(second)).toEqual([{ round: 'first', level: 5, reasonKind: null }]);
  });

  it('takes "差评" as a bad review and asks why before recording it', async () => {
    const receipt = await fedBackErrand(app);
    const [why] = await app.say('liu-fang', '差评');
    expect(why).toContain('1 非常不满意（一星）');
    expect(why).toContain('是什么原因');
    expect(ratingsOf(receipt)).toEqual([]);
    await app.say('liu-fang', '太慢了');
    expect(ratingsOf(receipt)).toEqual([{ round: 'first', level: 1, reasonKind: 'slow' }]);
  });
});
