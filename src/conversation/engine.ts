import { shanghaiDate } from '../calendar/local-date.ts';
import { hasWords } from '../text/normalise.ts';
import type { ActionRegistry, ActionResult } from './action-spec.ts';
import { IDLE_FLOW, MAX_HISTORY, REGISTER_FLOW, type ConversationState, type FlowData, type FlowPosition, type Json } from './conversation-state.ts';
import type { Effect } from './effects.ts';
import type { FlowContext } from './flow-context.ts';
import type { Edge, Flow, FlowState, Intent } from './flow-schema.ts';
import { buildRenderVars } from './render-vars.ts';
import { readAnswer, readsSymbols } from './answer-order.ts';
import { createIntentReader, type IntentStrength } from './intent-reading.ts';
import { numberOptions, type NumberedOption } from './reply-reading.ts';

/**
 * The conversation engine: (state, input, context) → (new state, replies, effects). Pure and
 * synchronous: no IO, no clock (the time is `ctx.now`), no randomness. Replies are template
 * references with their variables; the application renders them after applying the effects.
 *
 * Reading an answer (answer-order.ts): a choice number or an option's word; an intent's whole word; an
 * option said loosely or an acknowledgement; an intent by prefix, receipt number or meaning; the state's
 * text action; otherwise the question is asked once more with its choices, and the second time the
 * resident gets the menu and the agent's contact. A message of emoji only is read where the state reads
 * symbols (a rating's 👍) or an option takes it (👌 at 知道了).
 */

export interface EngineDefinition {
  flows: ReadonlyMap<string, Flow>;
  intents: readonly Intent[];
  actions: ActionRegistry;
  /** Text of a static template (option labels). */
  labelText: (key: string) => string;
  /** After this long without a message, a half-finished flow greets the resident with where they were. */
  resumeAfterMs: number;
  /** Longest message read; longer ones are refused politely. */
  maxTextLength: number;
}

/**
 * What the person did: wrote (or spoke) text, or opened the conversation without words (followed the
 * account, scanned a code); `villageCode` is a village a scanned code stood for (registration starts with it).
 */
export type Input = { kind: 'text'; text: string } | { kind: 'start'; villageCode?: string };

export type Reply = { kind: 'template'; template: string; vars: Record<string, unknown> } | { kind: 'options'; items: { number: number; label: string }[] };

/** What the engine made of a message: for logs and for measuring the reading (test/conversation/off-path-turns). */
export type Understood =
  | { kind: 'option'; id: string }
  | { kind: 'list'; value: Json }
  | { kind: 'intent'; id: string; by: IntentStrength }
  | { kind: 'text'; outcome: string; set: FlowData }
  | { kind: 'none' };

export interface StepResult {
  state: ConversationState;
  replies: Reply[];
  effects: Effect[];
  understood: Understood;
}

export interface ConversationEngine {
  step(previous: ConversationState | null, input: Input, ctx: FlowContext): StepResult;
  /**
   * Something happened that wants the resident's answer (rate a finished errand, confirm an
   * entrustment an agent filed): when the conversation is idle, the flow starts and its first
   * question is returned; when the resident is in the middle of something, null (ask later).
   */
  invite(previous: ConversationState | null, flowId: string, data: FlowData, ctx: FlowContext): StepResult | null;
}

/** Guards against a loop of decision states that never waits for the resident. */
const MAX_AUTOMATIC_MOVES = 25;

export class FlowDefinitionError extends Error {
  override name = 'FlowDefinitionError';
}

interface Session {
  conv: ConversationState;
  replies: Reply[];
  effects: Effect[];
  ctx: FlowContext;
  moves: number;
  understood: Understood;
}

export function createConversationEngine(def: EngineDefinition): ConversationEngine {
  const intents = createIntentReader(def.intents);
  const flowOf = (id: string): Flow => {
    const flow = def.flows.get(id);
    if (!flow) throw new FlowDefinitionError(`unknown flow ${id}`);
    return flow;
  };
  const stateOf = (flow: Flow, id: string): FlowState => {
    const st = flow.states[id];
    if (!st) throw new FlowDefinitionError(`unknown state ${flow.id}.${id}`);
    return st;
  };

  const say = (s: Session, template: string, extra: FlowData = {}) => {
    s.replies.push({ kind: 'template', template, vars: { ...buildRenderVars(s.conv.data, s.ctx, shanghaiDate(s.ctx.now)), ...extra } });
  };

  const listOf = (s: Session, key: string | undefined): { value: Json; label: string }[] => {
    if (!key) return [];
    const list = s.conv.data[key];
    if (!Array.isArray(list)) return [];
    return list.flatMap((entry) => {
      if (entry && typeof entry === 'object' && !Array.isArray(entry) && 'value' in entry && typeof entry.label === 'string') {
        return [{ value: entry.value ?? null, label: entry.label }];
      }
      return [];
    });
  };

  const optionsOf = (s: Session, st: FlowState): NumberedOption[] => numberOptions(listOf(s, st.reply?.list).length, st.reply?.options ?? [], def.labelText);

  /** Shows the current state's question: its texts (unless only the choices are wanted), then the numbered list and options. */
  const prompt = (s: Session, choicesOnly = false) => {
    const st = stateOf(flowOf(s.conv.flowId), s.conv.stateId);
    if (!choicesOnly) for (const key of st.say) say(s, key);
    const items = [
      ...listOf(s, st.reply?.list).map((entry, i) => ({ number: i + 1, label: entry.label })),
      ...optionsOf(s, st).map((o) => ({ number: o.number, label: o.label })),
    ];
    if (items.length) s.replies.push({ kind: 'options', items });
  };

  const idle = (now: number): ConversationState => {
    const main = flowOf(IDLE_FLOW);
    return { flowId: main.id, flowVersion: main.version, stateId: main.start, data: {}, history: [], retries: 0, interrupted: null, lastActiveAt: now };
  };

  const runAction = (s: Session, name: string, text: string | null): ActionResult => {
    const action = def.actions[name];
    if (!action) throw new FlowDefinitionError(`unknown action ${name}`);
    const result = action.run({ text, data: s.conv.data, ctx: s.ctx });
    if (!(result.outcome in action.outcomes)) throw new FlowDefinitionError(`action ${name} returned undeclared outcome ${result.outcome}`);
    if (result.set) {
      const data = { ...s.conv.data };
      for (const [key, value] of Object.entries(result.set)) if (value !== undefined) data[key] = value;
      s.conv.data = data;
    }
    if (result.effects) s.effects.push(...result.effects);
    return result;
  };

  const startFlow = (s: Session, flowId: string, carry: FlowData) => {
    const flow = flowOf(flowId);
    const data: FlowData = {};
    for (const key of flow.accepts) if (key in carry) data[key] = carry[key] as Json;
    s.conv = { ...s.conv, flowId: flow.id, flowVersion: flow.version, stateId: flow.start, data, history: [], retries: 0 };
    enter(s, flow.start);
  };

  const goIdle = (s: Session, showMenu: boolean) => {
    const main = flowOf(IDLE_FLOW);
    s.conv = { ...s.conv, flowId: main.id, flowVersion: main.version, stateId: main.start, data: {}, history: [], retries: 0, interrupted: null };
    if (showMenu) prompt(s);
  };

  const finishFlow = (s: Session) => {
    const back = s.conv.interrupted;
    if (back && def.flows.get(back.flowId)?.version === back.flowVersion) {
      s.conv = { ...s.conv, ...back, retries: 0, interrupted: null };
      say(s, 'common.resume_interrupted');
      prompt(s);
      return;
    }
    goIdle(s, false);
  };

  const goTo = (s: Session, target: string) => {
    if (target === 'retry') return retry(s);
    if (target === 'end') return finishFlow(s);
    if (target === 'menu') return goIdle(s, true);
    if (target.startsWith('flow:')) return startFlow(s, target.slice(5), s.conv.data);
    const current = stateOf(flowOf(s.conv.flowId), s.conv.stateId);
    if (current.reply) {
      s.conv.history = [...s.conv.history, { stateId: s.conv.stateId, data: s.conv.data }].slice(-MAX_HISTORY);
    }
    enter(s, target);
  };

  const follow = (s: Session, edge: Edge | undefined) => {
    if (!edge) return retry(s);
    if (edge.do) runAction(s, edge.do, null);
    for (const key of edge.say) say(s, key);
    goTo(s, edge.to);
  };

  /** Moves into a state: a decision state decides at once; a question state asks. */
  const enter = (s: Session, stateId: string) => {
    if (++s.moves > MAX_AUTOMATIC_MOVES) throw new FlowDefinitionError(`flow ${s.conv.flowId} loops without asking at ${stateId}`);
    const st = stateOf(flowOf(s.conv.flowId), stateId);
    s.conv = { ...s.conv, stateId, retries: 0 };
    if (st.decide) {
      const result = runAction(s, st.decide, null);
      return follow(s, st.on[result.outcome]);
    }
    prompt(s);
  };

  const retry = (s: Session) => {
    if (s.conv.retries < 1) {
      const retries = s.conv.retries + 1;
      say(s, 'common.retry');
      const st = stateOf(flowOf(s.conv.flowId), s.conv.stateId);
      prompt(s, Boolean(st.reply?.options.length || st.reply?.list));
      s.conv.retries = retries;
      return;
    }
    if (s.conv.flowId === REGISTER_FLOW) {
      // Without registration there is no menu to fall back to: give the contact and ask again.
      say(s, 'common.fallback_register');
      s.conv.retries = 0;
      prompt(s);
      return;
    }
    say(s, 'common.fallback');
    goIdle(s, true);
  };

  const help = (s: Session) => {
    const flow = flowOf(s.conv.flowId);
    const st = stateOf(flow, s.conv.stateId);
    say(s, st.help ?? flow.help ?? 'common.help');
    // The question itself is still on the screen: repeat only its choices, or the question when it has none.
    const hasChoices = Boolean(st.reply?.options.length || st.reply?.list);
    prompt(s, hasChoices);
  };

  /**
   * 不办了 / 算了: inside a flow, that flow is dropped (the reply says which) and an interrupted one
   * resumes; at the menu with an errand that can still be withdrawn, the intent's idle flow (撤回) starts.
   */
  const cancel = (s: Session, intent: Intent, rest: string) => {
    if (s.conv.flowId === IDLE_FLOW) {
      if (intent.idleWithErrand && s.ctx.myErrands.some((e) => e.withdrawable)) return startFlow(s, intent.idleWithErrand.slice(5), { initialText: rest });
      say(s, 'common.nothing_to_cancel');
      return goIdle(s, true);
    }
    const title = flowOf(s.conv.flowId).title;
    say(s, 'common.cancelled', { dropped: title ? def.labelText(title) : '' });
    const back = s.conv.interrupted;
    if (back && def.flows.get(back.flowId)?.version === back.flowVersion) return finishFlow(s);
    return goIdle(s, true);
  };

  const handleIntent = (s: Session, intent: Intent, rest: string) => {
    switch (intent.does) {
      case 'help':
        return help(s);
      case 'menu':
        return goIdle(s, true);
      case 'greet':
        if (s.conv.flowId === IDLE_FLOW) {
          say(s, 'common.welcome_back');
          return goIdle(s, true);
        }
        say(s, 'common.resume_after_pause');
        return prompt(s);
      case 'cancel':
        return cancel(s, intent, rest);
      case 'back': {
        const previous = s.conv.history.at(-1);
        if (!previous) {
          say(s, 'common.no_back');
          return prompt(s);
        }
        s.conv = { ...s.conv, stateId: previous.stateId, data: previous.data, history: s.conv.history.slice(0, -1), retries: 0 };
        return prompt(s);
      }
      case 'restart':
        say(s, 'common.restarted');
        return startFlow(s, s.conv.flowId === IDLE_FLOW ? IDLE_FLOW : s.conv.flowId, {});
      default: {
        const target = flowOf(intent.does.slice(5));
        if (target.interrupts && s.conv.flowId !== IDLE_FLOW && s.conv.flowId !== target.id) {
          const { flowId, flowVersion, stateId, data, history } = s.conv;
          s.conv.interrupted = { flowId, flowVersion, stateId, data, history } satisfies FlowPosition;
        } else {
          s.conv.interrupted = null;
        }
        return startFlow(s, target.id, { initialText: rest });
      }
    }
  };

  const answer = (s: Session, text: string) => {
    const flow = flowOf(s.conv.flowId);
    const st = stateOf(flow, s.conv.stateId);
    if (!st.reply) throw new FlowDefinitionError(`state ${flow.id}.${s.conv.stateId} does not wait for a reply`);
    const reading = readAnswer(
      text,
      { flowId: flow.id, state: st, options: optionsOf(s, st), list: listOf(s, st.reply.list), agentName: s.ctx.agent?.name ?? null },
      intents,
    );
    switch (reading.kind) {
      case 'option':
        s.understood = reading;
        return follow(s, st.on[reading.id]);
      case 'list':
        s.understood = reading;
        if (st.reply.into) s.conv.data = { ...s.conv.data, [st.reply.into]: reading.value };
        return follow(s, st.on.chosen);
      case 'intent':
        s.understood = { kind: 'intent', id: reading.hit.intent.id, by: reading.hit.by };
        return handleIntent(s, reading.hit.intent, reading.hit.rest);
      case 'text': {
        const result = runAction(s, reading.action, text);
        const set = Object.entries(result.set ?? {}).filter((e): e is [string, Json] => e[1] !== undefined);
        s.understood = { kind: 'text', outcome: result.outcome, set: Object.fromEntries(set) };
        return follow(s, st.on[result.outcome]);
      }
      case 'none':
        return retry(s);
    }
  };

  return {
    invite(previous, flowId, data, ctx) {
      const s: Session = { conv: previous ? structuredClone(previous) : idle(ctx.now), replies: [], effects: [], ctx, moves: 0, understood: { kind: 'none' } };
      const current = def.flows.get(s.conv.flowId);
      if (!ctx.person) return null;
      if (s.conv.flowId === flowId && current?.version === s.conv.flowVersion && current.states[s.conv.stateId]?.reply) {
        // Already waiting for this answer: ask the same question again.
        prompt(s);
        return { state: s.conv, replies: s.replies, effects: s.effects, understood: s.understood };
      }
      const busy = s.conv.flowId !== IDLE_FLOW && current?.version === s.conv.flowVersion;
      if (busy) return null;
      s.conv.lastActiveAt = ctx.now;
      s.conv.interrupted = null;
      startFlow(s, flowId, data);
      return { state: s.conv, replies: s.replies, effects: s.effects, understood: s.understood };
    },
    step(previous, input, ctx) {
      const s: Session = { conv: previous ? structuredClone(previous) : idle(ctx.now), replies: [], effects: [], ctx, moves: 0, understood: { kind: 'none' } };
      const idleFor = ctx.now - s.conv.lastActiveAt;
      s.conv.lastActiveAt = ctx.now;

      // A flow that changed since this conversation was saved is restarted politely, never replayed.
      const saved = def.flows.get(s.conv.flowId);
      if (!saved || saved.version !== s.conv.flowVersion || !saved.states[s.conv.stateId] || saved.states[s.conv.stateId]?.decide) {
        const restartable = saved && saved.id !== IDLE_FLOW ? saved.id : null;
        s.conv = idle(ctx.now);
        if (restartable) {
          say(s, 'common.flow_updated');
          startFlow(s, restartable, {});
          return { state: s.conv, replies: s.replies, effects: s.effects, understood: s.understood };
        }
      }

      if (!ctx.person && s.conv.flowId !== REGISTER_FLOW) {
        const data: FlowData = { initialText: input.kind === 'text' ? input.text.slice(0, def.maxTextLength) : '' };
        if (input.kind === 'start' && input.villageCode) data.sceneVillage = input.villageCode;
        startFlow(s, REGISTER_FLOW, data);
        return { state: s.conv, replies: s.replies, effects: s.effects, understood: s.understood };
      }

      if (input.kind === 'start') {
        if (s.conv.flowId === IDLE_FLOW) {
          say(s, 'common.welcome_back');
          prompt(s);
        } else {
          say(s, 'common.resume_after_pause');
          prompt(s);
        }
        return { state: s.conv, replies: s.replies, effects: s.effects, understood: s.understood };
      }

      const text = input.text;
      const waiting = def.flows.get(s.conv.flowId)?.states[s.conv.stateId];
      if (!hasWords(text) && !(waiting && readsSymbols(text, waiting, optionsOf(s, waiting)))) {
        say(s, 'common.no_words');
        if (s.conv.flowId === IDLE_FLOW) goIdle(s, true);
        else prompt(s);
      } else if ([...text].length > def.maxTextLength) {
        say(s, 'common.too_long', { maxLength: def.maxTextLength });
        if (s.conv.flowId !== IDLE_FLOW) prompt(s);
      } else {
        const resumed = s.conv.flowId !== IDLE_FLOW && idleFor > def.resumeAfterMs;
        const before = s.replies.length;
        answer(s, text);
        // After a long pause, a reply that did not fit the old question is explained, not counted as a mistake.
        const retried = s.replies.slice(before).some((r) => r.kind === 'template' && r.template === 'common.retry');
        if (resumed && retried) {
          s.replies.splice(before);
          s.conv.retries = 0;
          say(s, 'common.resume_after_pause');
          prompt(s);
        }
      }
      return { state: s.conv, replies: s.replies, effects: s.effects, understood: s.understood };
    },
  };
}
