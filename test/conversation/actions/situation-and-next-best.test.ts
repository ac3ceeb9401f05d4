import { describe, expect, it } from 'vitest';
import type { ConversationState } from '../../../src/conversation/conversation-state.ts';
import type { StepResult } from '../../../src/conversation/engine.ts';
import { realContent, realEngine } from '../../support/real-engine.ts';
import { fakeContext, resident } from '../../support/fake-flow-context.ts';

const content = realContent;
const engine = realEngine;

function play(texts: string[], ctx = fakeContext()): StepResult & { all: StepResult[] } {
  let state: ConversationState | null = null;
  const all: StepResult[] = [];
  let now = ctx.now;
  for (const text of texts) {
    now += 60_000;
    const result = engine.step(state, { kind: 'text', text }, { ...ctx, now });
    all.push(result);
    state = result.state;
  }
  const last = all.at(-1);
  if (!last) throw new Error('no texts');
  return { ...last, all };
}

/** The rendered text of one step's replies. */
function textOf(result: StepResult): string {
  return result.replies
    .map((r) => (r.kind === 'template' ? content.templates.render(r.template, r.vars) : r.items.map((i) => `${i.number}. ${i.label}`).join('\n')))
    .join('\n');
}

describe('the situation of an item whose materials depend on it', () => {
  it('is read from the request words: a lost card is not asked about and its notice has no old card', () => {
    const r = play(['社保卡丢了', '1']);
    expect(r.state.data.situation).toBe('lost');
    expect(r.state.stateId).not.toBe('ask_situation');
    const notice = play(['社保卡丢了', '1', '2', '1', '同意', '同意']);
    const text = textOf(notice);
    expect(text).toContain('【一次性告知】');
    expect(text).not.toContain('原社会保障卡');
    expect(text).toContain('居民身份证');
  });

  it('is asked once, with the item’s situations, when the words do not tell it; the answer decides the notice', () => {
    const asked = play(['我要办社保卡', '1']);
    expect(asked.state.stateId).toBe('ask_situation');
    expect(textOf(asked)).toContain('卡丢了，补办');
    const damaged = play(['我要办社保卡', '1', '卡坏了']);
    expect(damaged.state.data.situation).toBe('damaged');
    const notice = textOf(play(['我要办社保卡', '1', '3', '2', '1', '同意', '同意']));
    expect(notice).toContain('原社会保障卡');
  });

  it('files the errand with the situation', () => {
    const done = play(['社保卡丢了', '1', '2', '1', '同意', '同意', '知道了', '1']);
    expect(done.effects).toEqual([expect.objectContaining({ kind: 'create_errand', itemId: 'social-security-card', situation: 'lost' })]);
  });

  it('asks nothing for an item without situations', () => {
    expect(play(['宅基地', '1']).state.stateId).toBe('for_whom');
  });
});

describe('"不是这件事，重新选" at the service guide', () => {
  it('offers the next-best matches of the same words, numbered, with 0 for the categories', () => {
    const r = play(['户口本', '2']);
    expect(r.state.stateId).toBe('pick_candidate');
    const text = textOf(r);
    expect(text).toContain('1. 出生登记');
    expect(text).not.toContain('户口簿补领/换领');
    expect(text).toContain('0. 都不是，按类别找');
    expect(play(['户口本', '2', '0']).state.stateId).toBe('pick_category');
  });

  it('asks afresh when nothing else matched the words', () => {
    expect(play(['宅基地', '2']).state.stateId).toBe('ask_item');
  });
});

describe('self-service advice', () => {
  it('is not pushed on a migrant worker, as the README says', () => {
    const migrant = fakeContext({ person: { ...resident, tags: ['migrant'], priority: false } });
    expect(play(['异地就医备案', '1'], migrant).state.stateId).toBe('for_whom');
    expect(play(['异地就医备案', '1']).state.stateId).toBe('offer_self_service');
  });
});
