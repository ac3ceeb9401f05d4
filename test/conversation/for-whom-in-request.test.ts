import { describe, expect, it } from 'vitest';
import type { ConversationState } from '../../src/conversation/conversation-state.ts';
import type { StepResult } from '../../src/conversation/engine.ts';
import { fakeContext } from '../support/fake-flow-context.ts';
import { realEngine, replyKeys } from '../support/real-engine.ts';

/** A request that already said for whom is not asked 给谁办 again; one that only mentions a relative is. */

/** Says the first message, then picks option 1 (请代办员帮我办 …) until the request reaches 给谁办 or the name. */
function untilForWhom(first: string): StepResult[] {
  const ctx = fakeContext();
  let state: ConversationState | null = null;
  const steps: StepResult[] = [];
  let text = first;
  for (let i = 0; i < 5; i++) {
    const r = realEngine.step(state, { kind: 'text', text }, { ...ctx, now: ctx.now + i * 60_000 });
    steps.push(r);
    state = r.state;
    if (['for_whom', 'ask_beneficiary_name'].includes(r.state.stateId)) break;
    text = r.state.stateId === 'offer_self_service' ? '2' : '1';
  }
  return steps;
}

describe('给谁办 told in the first message', () => {
  it.each([
    ['帮我妈办高龄津贴', '母亲'],
    ['给我娃儿上户口', '孩子'],
    ['我老汉儿叫我帮他办残疾证', '父亲'],
  ])('"%s" goes straight to the name of the %s', (first, relation) => {
    const steps = untilForWhom(first);
    const last = steps.at(-1);
    expect(last?.state.stateId).toBe('ask_beneficiary_name');
    expect(replyKeys(last?.replies ?? [])).toEqual(['request.for_whom_from_words', 'request.ask_beneficiary_name']);
    expect(last?.state.data).toMatchObject({ forWhom: 'family', relation });
  });

  it.each(['我妈说要办高龄津贴', '我要办残疾证'])('"%s" is still asked 给谁办', (first) => {
    const last = untilForWhom(first).at(-1);
    expect(last?.state.stateId).toBe('for_whom');
  });
});
