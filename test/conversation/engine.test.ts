import { describe, expect, it } from 'vitest';
import { contentDirs } from '../../src/compose.ts';
import { loadContent } from '../../src/content/load-content.ts';
import { actionRegistry } from '../../src/conversation/actions/action-registry.ts';
import type { ConversationState } from '../../src/conversation/conversation-state.ts';
import { createConversationEngine, FlowDefinitionError, type Reply, type StepResult } from '../../src/conversation/engine.ts';
import { flowSchema } from '../../src/conversation/flow-schema.ts';
import { fakeContext } from '../support/fake-flow-context.ts';

const content = loadContent(contentDirs);
const definition = {
  flows: content.flows,
  intents: content.intents,
  actions: actionRegistry,
  labelText: (key: string) => content.templates.render(key, {}),
  resumeAfterMs: 6 * 3_600_000,
  maxTextLength: 2000,
};
const engine = createConversationEngine(definition);
const keys = (replies: Reply[]) => replies.map((r) => (r.kind === 'template' ? r.template : 'options'));

/** Plays a conversation: each text after the one before, time moving a minute per message. */
function play(texts: string[], ctx = fakeContext(), start: ConversationState | null = null): StepResult {
  let state = start;
  let result: StepResult | null = null;
  let now = ctx.now;
  for (const text of texts) {
    now += 60_000;
    result = engine.step(state, { kind: 'text', text }, { ...ctx, now, myErrands: ctx.myErrands });
    state = result.state;
  }
  if (!result) throw new Error('no texts');
  return result;
}

describe('the conversation engine', () => {
  it('starts registration for someone it does not know, keeping the first words', () => {
    const r = play(['我想办低保'], fakeContext({ person: null }));
    expect(r.state.flowId).toBe('register');
    expect(r.state.data.initialText).toBe('我想办低保');
    expect(keys(r.replies)).toEqual(['register.welcome', 'options']);
  });

  it('goes from free words straight to the service guide when sure', () => {
    const r = play(['我要办残疾证']);
    expect(r.state).toMatchObject({ flowId: 'request', stateId: 'show_guide', data: { itemId: 'disability-certificate' } });
  });

  it('asks once more with the choices, then gives the menu and the agent’s contact', () => {
    const first = play(['申请代办', 'zzzz']);
    expect(keys(first.replies)).toEqual(['common.retry', 'options']);
    expect(first.state).toMatchObject({ flowId: 'request', stateId: 'ask_item', retries: 1 });
    const second = play(['申请代办', 'zzzz', 'yyyy']);
    expect(keys(second.replies)).toEqual(['common.fallback', 'main.menu', 'options']);
    expect(second.state).toMatchObject({ flowId: 'main', stateId: 'menu', retries: 0 });
  });

  it('goes back one step with the data as it was', () => {
    const r = play(['宅基地', '1', '2', '返回']);
    expect(r.state).toMatchObject({ stateId: 'for_whom' });
    const again = play(['宅基地', '1', '2', '返回', '返回']);
    expect(again.state.stateId).toBe('show_guide');
    expect(again.state.data.itemId).toBe('homestead-building-application');
    expect(keys(play(['申请代办', '返回']).replies)).toEqual(['common.no_back', 'request.ask_item', 'options']);
  });

  it('cancels to the menu and starts over from the flow’s start', () => {
    expect(play(['宅基地', '取消']).state).toMatchObject({ flowId: 'main', stateId: 'menu' });
    expect(play(['宅基地', '1', '重新开始']).state).toMatchObject({ flowId: 'request', stateId: 'ask_item', data: {} });
  });

  it('answers 帮助 with the step’s help and its choices, without counting a mistake', () => {
    const r = play(['宅基地', '帮助']);
    expect(keys(r.replies)).toEqual(['request.guide_help', 'options']);
    expect(r.state).toMatchObject({ stateId: 'show_guide', retries: 0 });
  });

  it('returns to the interrupted flow after an information question', () => {
    const r = play(['宅基地', '1', '代办员是谁']);
    expect(keys(r.replies)).toEqual(['agent.card', 'common.resume_interrupted', 'request.for_whom', 'options']);
    expect(r.state).toMatchObject({ flowId: 'request', stateId: 'for_whom', interrupted: null });
  });

  it('after a long pause explains where the resident was instead of counting a mistake', () => {
    const ctx = fakeContext();
    const halfway = play(['宅基地', '1'], ctx);
    const later = engine.step(halfway.state, { kind: 'text', text: '今天有空了' }, { ...ctx, now: ctx.now + 3 * 24 * 3_600_000 });
    expect(keys(later.replies)).toEqual(['common.resume_after_pause', 'request.for_whom', 'options']);
    expect(later.state).toMatchObject({ stateId: 'for_whom', retries: 0 });
  });

  it('restarts a flow politely when its definition changed since the state was saved', () => {
    const halfway = play(['宅基地', '1']);
    const stale = { ...halfway.state, flowVersion: halfway.state.flowVersion + 1 };
    const r = engine.step(stale, { kind: 'text', text: '1' }, fakeContext());
    expect(keys(r.replies)[0]).toBe('common.flow_updated');
    expect(r.state).toMatchObject({ flowId: 'request', stateId: 'ask_item' });
  });

  it('answers emoji-only and over-long messages plainly and keeps the question', () => {
    expect(keys(play(['宅基地', '😀😀']).replies)).toEqual(['common.no_words', 'request.guide', 'options']);
    const long = play(['宅基地', '字'.repeat(2001)]);
    expect(keys(long.replies)[0]).toBe('common.too_long');
    expect(long.state.stateId).toBe('show_guide');
  });

  it('asks for the effects of a finished request and nothing before', () => {
    const texts = ['宅基地', '1', '1', '同意', '知道了'];
    expect(play(texts).effects).toEqual([]);
    const done = play([...texts, '1']);
    expect(done.effects).toEqual([{ kind: 'create_errand', itemId: 'homestead-building-application', beneficiary: { kind: 'self' }, privacyConsent: null }]);
    expect(done.state).toMatchObject({ flowId: 'main', stateId: 'menu' });
  });

  it('is deterministic and never changes the state it was given', () => {
    const start = play(['宅基地']).state;
    const copy = structuredClone(start);
    const a = engine.step(start, { kind: 'text', text: '1' }, fakeContext());
    const b = engine.step(start, { kind: 'text', text: '1' }, fakeContext());
    expect(start).toEqual(copy);
    expect(a).toEqual(b);
  });

  it('refuses a flow whose decision states loop without ever asking', () => {
    const loop = flowSchema.parse({
      id: 'main',
      version: 1,
      start: 'a',
      states: { a: { decide: 'check_agent', on: { has_agent: 'b', no_agent: 'b' } }, b: { decide: 'check_agent', on: { has_agent: 'a', no_agent: 'a' } } },
    });
    const looping = createConversationEngine({ ...definition, flows: new Map([...content.flows, ['main', loop]]) });
    expect(() => looping.step(null, { kind: 'text', text: '菜单' }, fakeContext())).toThrow(FlowDefinitionError);
  });
});
