import { describe, expect, it } from 'vitest';
import type { ConversationState, FlowData } from '../../src/conversation/conversation-state.ts';
import type { StepResult } from '../../src/conversation/engine.ts';
import type { FlowContext } from '../../src/conversation/flow-context.ts';
import { errandView, realContent, realEngine, replyKeys } from '../support/real-engine.ts';
import { fakeContext } from '../support/fake-flow-context.ts';

const content = realContent;
const engine = realEngine;
const keys = replyKeys;

function play(texts: string[], ctx: FlowContext = fakeContext(), start: ConversationState | null = null): StepResult {
  let state = start;
  let result: StepResult | null = null;
  let now = ctx.now;
  for (const text of texts) {
    now += 60_000;
    result = engine.step(state, { kind: 'text', text }, { ...ctx, now });
    state = result.state;
  }
  if (!result) throw new Error('no texts');
  return result;
}

/** A conversation waiting at one step. */
function at(flowId: string, stateId: string, data: FlowData = {}): ConversationState {
  const flow = content.flows.get(flowId);
  return { flowId, flowVersion: flow?.version ?? 0, stateId, data, history: [], retries: 0, interrupted: null, lastActiveAt: fakeContext().now };
}

const openErrand = errandView({ id: 7, receiptNo: 'DB261201007' });

describe('intents at every step', () => {
  it('answers progress asked in free words in the middle of a request, then comes back to the step', () => {
    const r = play(['宅基地', '我老汉儿的事办到哪一步了']);
    expect(r.understood).toMatchObject({ kind: 'intent', id: 'my_errands', by: 'cue' });
    expect(keys(r.replies)).toEqual(['my_errands.none', 'common.resume_interrupted', 'request.guide', 'options']);
    expect(r.state).toMatchObject({ flowId: 'request', stateId: 'show_guide', interrupted: null, data: { itemId: 'homestead-building-application' } });
  });

  it('records a complaint told as a story in the middle of a request, with its type, and comes back', () => {
    const r = play(['宅基地', '我要投诉李明不来收材料']);
    expect(r.effects).toEqual([{ kind: 'record_complaint', type: 'shirking', text: '我要投诉李明不来收材料', receiptNo: null }]);
    expect(keys(r.replies)).toEqual(['complaint.recorded', 'common.resume_interrupted', 'request.guide', 'options']);
    expect(r.state).toMatchObject({ flowId: 'request', stateId: 'show_guide' });
  });

  it('passes a word to the agent in the middle of a request and comes back', () => {
    const asked = play(['宅基地', '叫代办员给我打个电话']);
    expect(asked.state).toMatchObject({ flowId: 'talk_to_agent', stateId: 'ask_message' });
    const r = play(['宅基地', '叫代办员给我打个电话', '不用']);
    expect(r.effects).toEqual([{ kind: 'contact_agent', message: null }]);
    expect(keys(r.replies).slice(0, 2)).toEqual(['agent.told', 'common.resume_interrupted']);
    expect(r.state).toMatchObject({ flowId: 'request', stateId: 'show_guide' });
  });

  it('finds the agent by name: 我想找孙建国 is talking to the agent', () => {
    expect(play(['我想找孙建国']).state).toMatchObject({ flowId: 'talk_to_agent', stateId: 'ask_message' });
  });

  it('says what a cancel dropped, and a cancelled aside returns to the step it interrupted', () => {
    const dropped = play(['宅基地', '算了']);
    expect(dropped.replies[0]).toMatchObject({ template: 'common.cancelled', vars: { dropped: '申请办事', item: { name: '农村宅基地和建房申请' } } });
    expect(dropped.state).toMatchObject({ flowId: 'main', stateId: 'menu' });
    const aside = play(['宅基地', '投诉', '算了']);
    expect(keys(aside.replies)).toEqual(['common.cancelled', 'common.resume_interrupted', 'request.guide', 'options']);
    expect(aside.replies[0]).toMatchObject({ vars: { dropped: '投诉' } });
    expect(aside.state).toMatchObject({ flowId: 'request', stateId: 'show_guide' });
  });

  it('starts 撤回 for 不办了 at the menu when an errand is open, and says there is nothing otherwise', () => {
    const withErrand = play(['不办了'], fakeContext({ myErrands: [openErrand] }));
    expect(withErrand.state).toMatchObject({ flowId: 'withdraw' });
    const without = play(['不办了']);
    expect(keys(without.replies)[0]).toBe('common.nothing_to_cancel');
    expect(without.state).toMatchObject({ flowId: 'main' });
  });

  it('keeps free text where the step takes it: a complaint text is the text, not a new complaint', () => {
    const r = play(['投诉', '5', '我要投诉他不来收材料']);
    expect(r.effects).toEqual([{ kind: 'record_complaint', type: 'other', text: '我要投诉他不来收材料', receiptNo: null }]);
    expect(play(['投诉', '5', '取消']).replies[0]).toMatchObject({ template: 'common.cancelled' });
  });

  it('does not take an item name for an intent at the item question', () => {
    expect(play(['申请代办', '残疾证']).state).toMatchObject({ flowId: 'request', stateId: 'show_guide', data: { itemId: 'disability-certificate' } });
  });
});

describe('answers by meaning', () => {
  it('reads the complaint type from a story at the type question and records it at once', () => {
    const r = play(['投诉', '代办员收了我50块钱跑路费']);
    expect(r.effects).toEqual([{ kind: 'record_complaint', type: 'extra_fee', text: '代办员收了我50块钱跑路费', receiptNo: null }]);
    expect(keys(r.replies)).toEqual(['complaint.recorded']);
    expect(keys(play(['投诉', '啊']).replies)).toEqual(['common.retry', 'options']);
  });

  it('asks the type when a story names none, and records the story with the type chosen', () => {
    const asked = play(['投诉 他说话不客气']);
    expect(asked.state).toMatchObject({ flowId: 'complaint', stateId: 'ask_type' });
    const r = play(['投诉 他说话不客气', '5']);
    expect(r.effects).toEqual([{ kind: 'record_complaint', type: 'other', text: '他说话不客气', receiptNo: null }]);
  });

  it('reads where a resident lives from a province, a city or a phrasing', () => {
    const ctx = fakeContext({ person: null });
    const away = engine.step(at('register', 'ask_living', { name: '王大山', villageCode: 'qs-sq' }), { kind: 'text', text: '在广东打工' }, ctx);
    expect(away.state).toMatchObject({ stateId: 'ask_phone', data: { living: 'away' } });
    const home = engine.step(at('register', 'ask_living', { name: '王大山', villageCode: 'qs-sq' }), { kind: 'text', text: '在家种地' }, ctx);
    expect(home.state).toMatchObject({ stateId: 'ask_phone', data: { living: 'home' } });
  });

  it('takes 是, 嗯嗯, ok and 👌 as 知道了 at the one-time notice, and asks again for anything else', () => {
    const notice = at('request', 'notice', { itemId: 'homestead-building-application', forWhom: 'self', beneficiary: { kind: 'self' } });
    for (const text of ['是', '嗯嗯', 'OK', '👌', '好的知道了']) {
      const r = engine.step(notice, { kind: 'text', text }, fakeContext());
      expect(r.state.stateId, text).toBe('confirm');
    }
    const unsure = engine.step(notice, { kind: 'text', text: '不晓得' }, fakeContext());
    expect(keys(unsure.replies)).toEqual(['common.retry', 'options']);
    expect(unsure.state.stateId).toBe('notice');
  });
});
