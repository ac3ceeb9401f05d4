import { describe, expect, it } from 'vitest';
import type { ConversationState } from '../../src/conversation/conversation-state.ts';
import type { StepResult } from '../../src/conversation/engine.ts';
import type { FlowContext } from '../../src/conversation/flow-context.ts';
import { errandView, realContent, realEngine, replyKeys } from '../support/real-engine.ts';
import { fakeContext } from '../support/fake-flow-context.ts';

/** The 好差评 question through the engine: numbered like stars, words and emoji understood, never dropped. */

const content = realContent;
const engine = realEngine;
const keys = replyKeys;

const errand = errandView({
  id: 7,
  itemId: 'homestead-building-application',
  itemName: '农村宅基地和建房申请',
  ratable: 'first',
  status: 'fed_back',
  statusText: '结果已交给您',
  withdrawable: false,
});

/** Invited to rate, then each text a minute after the one before. */
function rate(texts: readonly string[], ctx: FlowContext = fakeContext({ myErrands: [errand] })): { invited: StepResult; last: StepResult } {
  const invited = engine.invite(null, 'rating', { errandId: errand.id }, ctx);
  if (!invited) throw new Error('not invited');
  let state: ConversationState = invited.state;
  let last = invited;
  let now = ctx.now;
  for (const text of texts) {
    now += 60_000;
    last = engine.step(state, { kind: 'text', text }, { ...ctx, now });
    state = last.state;
  }
  return { invited, last };
}

const levelRated = (r: StepResult) => r.effects.flatMap((e) => (e.kind === 'rate_errand' ? [e.level] : []));

describe('the 好差评 question', () => {
  it('shows every number with its words, 5 非常满意 first', () => {
    const { invited } = rate([]);
    const options = invited.replies.find((r) => r.kind === 'options');
    expect(options).toEqual({
      kind: 'options',
      items: [
        { number: 5, label: '非常满意（五星）' },
        { number: 4, label: '满意（四星）' },
        { number: 3, label: '基本满意（三星）' },
        { number: 2, label: '不满意（两星）' },
        { number: 1, label: '非常不满意（一星）' },
      ],
    });
    const ask = invited.replies[0];
    expect(ask?.kind === 'template' && content.templates.render(ask.template, ask.vars)).toContain('5 最好，1 最差');
  });

  it.each([
    ['5', 5],
    ['五星好评', 5],
    ['五星', 5],
    ['⭐⭐⭐⭐⭐', 5],
    ['👍', 5],
    ['非常满意', 5],
    ['非常满意（五星）', 5],
    ['4', 4],
    ['挺好的', 4],
    ['满意', 4],
    ['3', 3],
    ['还行', 3],
    ['一般', 3],
  ] as const)('records %j as level %i at once and says which level it was', (text, level) => {
    const { last } = rate([text]);
    expect(levelRated(last)).toEqual([level]);
    expect(keys(last.replies)).toEqual(['rating.chosen', 'rating.thanks']);
    const chosen = last.replies[0];
    const said = chosen?.kind === 'template' ? content.templates.render(chosen.template, chosen.vars) : '';
    expect(said).toMatch(new RegExp(`^您打的是：${level} `));
    expect(last.state).toMatchObject({ flowId: 'main' });
  });

  it.each([
    ['2', 2],
    ['不满意', 2],
    ['不好', 2],
    ['1', 1],
    ['差评', 1],
    ['太差了', 1],
    ['👎', 1],
  ] as const)('asks why after %j (level %i) and records the level with the reason', (text, level) => {
    const { last: why } = rate([text]);
    expect(why.effects).toEqual([]);
    expect(keys(why.replies)).toEqual(['rating.chosen', 'rating.ask_why', 'options']);
    expect(why.state.stateId).toBe('why');
    const { last } = rate([text, '2']);
    expect(last.effects).toEqual([{ kind: 'rate_errand', errandId: 7, round: 'first', level, reasonKind: 'slow', reason: null }]);
  });

  it('takes "5" as the best, never the worst', () => {
    const { last } = rate(['5']);
    expect(last.effects).toEqual([{ kind: 'rate_errand', errandId: 7, round: 'first', level: 5, reasonKind: null, reason: null }]);
  });

  it('lets a resident who picked a bad level by mistake go back and pick again', () => {
    const { last } = rate(['1', '返回', '5']);
    expect(levelRated(last)).toEqual([5]);
  });

  it('asks again with the numbers and words when the answer is not clearly one level, as often as needed', () => {
    for (const unclear of ['好的', '不是很好', '1 非常满意', '😀', '6']) {
      const { last } = rate([unclear]);
      expect(keys(last.replies), unclear).toEqual(['rating.unclear', 'rating.ask', 'options']);
      expect(last.state).toMatchObject({ flowId: 'rating', stateId: 'ask' });
    }
    const { last } = rate(['好的', '嗯', '啥', '五星好评']);
    expect(levelRated(last)).toEqual([5]);
  });

  it('still answers help, menu and cancel while rating', () => {
    expect(keys(rate(['帮助']).last.replies)).toEqual(['rating.help', 'options']);
    expect(rate(['菜单']).last.state).toMatchObject({ flowId: 'main' });
  });

  it('rates a rectification the same way', () => {
    const ctx = fakeContext({ myErrands: [{ ...errand, status: 'closed', ratable: 'rectification' }] });
    const { last } = rate(['五星'], ctx);
    expect(last.effects).toEqual([{ kind: 'rate_errand', errandId: 7, round: 'rectification', level: 5, reasonKind: null, reason: null }]);
    expect(keys(last.replies)).toEqual(['rating.chosen', 'rating.thanks_fix']);
  });

  it('keeps asking for words when emoji come where they mean nothing', () => {
    const r = engine.step(null, { kind: 'text', text: '👍' }, fakeContext());
    expect(keys(r.replies)).toEqual(['common.no_words', 'main.menu', 'options']);
  });
});
