import type { ActionRegistry } from './action-spec.ts';
import { IDLE_FLOW, REGISTER_FLOW } from './conversation-state.ts';
import { compileCue } from './intent-reading.ts';
import type { Edge, Flow, FlowState, Intent } from './flow-schema.ts';
import { derivedVarSources, globalVarNames } from './render-vars.ts';
import type { TemplateSet } from './templates.ts';

/**
 * Checks flows, intents, actions and templates against each other, at start-up and in tests:
 * every target exists, every state is reachable, every outcome an action can name has an edge and
 * every edge can be taken, every template exists, and every variable a template reads is present
 * on every path into the place where it is said (a forward data-flow over the flow graph).
 */

/** Templates the engine says by itself, with the variables it gives them beyond the globals. */
export const builtInTemplates: Readonly<Record<string, readonly string[]>> = {
  'common.retry': [],
  'common.fallback': [],
  'common.fallback_register': [],
  'common.help': [],
  'common.cancelled': ['dropped', 'itemId'],
  'common.nothing_to_cancel': [],
  'common.no_back': [],
  'common.restarted': [],
  'common.flow_updated': [],
  'common.welcome_back': [],
  'common.resume_after_pause': [],
  'common.resume_interrupted': [],
  'common.no_words': [],
  'common.too_long': ['maxLength'],
};

const SPECIAL_TARGETS = new Set(['end', 'menu', 'retry']);

function intersect(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...a].filter((k) => b.has(k)));
}

export function validateFlows(input: {
  flows: ReadonlyMap<string, Flow>;
  intents: readonly Intent[];
  actions: ActionRegistry;
  templates: TemplateSet;
}): string[] {
  const { flows, intents, actions, templates } = input;
  const problems: string[] = [];
  const globals = new Set<string>(globalVarNames);

  const checkTemplate = (key: string, available: Set<string>, where: string, extra: readonly string[] = []) => {
    if (!templates.has(key)) {
      problems.push(`${where}: template ${key} does not exist`);
      return;
    }
    const known = new Set([...globals, ...available, ...extra]);
    for (const [derived, source] of Object.entries(derivedVarSources)) if (known.has(source)) known.add(derived);
    for (const v of templates.variables(key)) {
      if (!known.has(v)) problems.push(`${where}: template ${key} uses "${v}", which is not set on every path here`);
    }
  };

  for (const id of [IDLE_FLOW, REGISTER_FLOW]) if (!flows.has(id)) problems.push(`flow ${id} is required`);
  for (const [key, extra] of Object.entries(builtInTemplates)) checkTemplate(key, new Set(), 'engine', extra);

  const intentIds = new Set(intents.map((i) => i.id));
  for (const flow of flows.values()) {
    for (const [stateId, st] of Object.entries(flow.states)) {
      for (const id of st.reply?.intentsByMeaning ?? []) if (!intentIds.has(id)) problems.push(`${flow.id}.${stateId}: intentsByMeaning names no intent ${id}`);
    }
  }
  for (const intent of intents) {
    for (const target of [intent.does, intent.idleWithErrand ?? '']) {
      if (target.startsWith('flow:') && !flows.has(target.slice(5))) problems.push(`intent ${intent.id}: no flow ${target.slice(5)}`);
    }
    for (const cue of intent.cues) {
      try {
        compileCue(cue, `intent ${intent.id}`);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }

  for (const flow of flows.values()) {
    const at = (stateId: string) => `${flow.id}.${stateId}`;
    if (!flow.states[flow.start]) problems.push(`${flow.id}: start state ${flow.start} does not exist`);
    if (flow.help) checkTemplate(flow.help, new Set(), `${flow.id} help`);
    if (flow.title) checkTemplate(flow.title, new Set(), `${flow.id} title`);

    /** Outcomes a state can produce, each with the data keys it sets. */
    const outcomesOf = (stateId: string, st: FlowState): Map<string, string[]> => {
      const out = new Map<string, string[]>();
      const fromAction = (name: string) => {
        const action = actions[name];
        if (!action) {
          problems.push(`${at(stateId)}: unknown action ${name}`);
          return;
        }
        for (const [outcome, sets] of Object.entries(action.outcomes)) out.set(outcome, [...sets]);
      };
      if (st.decide) fromAction(st.decide);
      if (st.reply) {
        for (const o of st.reply.options) out.set(o.id, []);
        if (st.reply.into) out.set('chosen', [st.reply.into]);
        if (st.reply.text) fromAction(st.reply.text);
      }
      return out;
    };

    const edgeEffect = (stateId: string, edge: Edge): { sets: string[]; results: string[] } => {
      if (!edge.do) return { sets: [], results: [] };
      const action = actions[edge.do];
      if (!action) {
        problems.push(`${at(stateId)}: unknown action ${edge.do}`);
        return { sets: [], results: [] };
      }
      const outcomeSets = Object.values(action.outcomes).map((s) => new Set(s));
      const sets = outcomeSets.reduce((a, b) => intersect(a, b), outcomeSets[0] ?? new Set<string>());
      return { sets: [...sets], results: [...(action.results ?? [])] };
    };

    // Structure: outcomes ↔ edges, targets.
    for (const [stateId, st] of Object.entries(flow.states)) {
      const outcomes = outcomesOf(stateId, st);
      for (const outcome of outcomes.keys()) {
        if (!st.on[outcome]) problems.push(`${at(stateId)}: outcome "${outcome}" has no edge`);
      }
      for (const [outcome, edge] of Object.entries(st.on)) {
        if (!outcomes.has(outcome)) problems.push(`${at(stateId)}: edge "${outcome}" can never be taken`);
        const t = edge.to;
        if (t.startsWith('flow:')) {
          if (!flows.has(t.slice(5))) problems.push(`${at(stateId)}: no flow ${t.slice(5)}`);
        } else if (!SPECIAL_TARGETS.has(t) && !flow.states[t]) {
          problems.push(`${at(stateId)}: target ${t} does not exist`);
        }
      }
      for (const o of st.reply?.options ?? []) {
        if (!templates.has(o.label)) problems.push(`${at(stateId)}: option label ${o.label} does not exist`);
        else if (templates.variables(o.label).length) problems.push(`${at(stateId)}: option label ${o.label} must not use variables`);
      }
      const numbers = (st.reply?.options ?? []).flatMap((o) => (o.number === undefined ? [] : [o.number]));
      if (new Set(numbers).size !== numbers.length) problems.push(`${at(stateId)}: two options share a number`);
      if (st.help) checkTemplate(st.help, new Set(), `${at(stateId)} help`);
    }

    // Data flow: the keys definitely set when entering each state.
    const entry = new Map<string, Set<string>>();
    const queue: string[] = [];
    const reach = (stateId: string, keys: Set<string>) => {
      const known = entry.get(stateId);
      const next = known ? intersect(known, keys) : keys;
      if (!known || next.size !== known.size) {
        entry.set(stateId, next);
        queue.push(stateId);
      }
    };
    if (flow.states[flow.start]) reach(flow.start, new Set());
    while (queue.length) {
      const stateId = queue.shift() as string;
      const st = flow.states[stateId];
      const keys = entry.get(stateId);
      if (!st || !keys) continue;
      const outcomes = outcomesOf(stateId, st);
      for (const [outcome, edge] of Object.entries(st.on)) {
        const { sets } = edgeEffect(stateId, edge);
        const after = new Set([...keys, ...(outcomes.get(outcome) ?? []), ...sets]);
        if (flow.states[edge.to]) reach(edge.to, after);
      }
    }
    for (const stateId of Object.keys(flow.states)) {
      if (!entry.has(stateId)) problems.push(`${at(stateId)}: unreachable from ${flow.start}`);
    }

    // Templates against the data available where they are said.
    for (const [stateId, st] of Object.entries(flow.states)) {
      const keys = entry.get(stateId);
      if (!keys) continue;
      if (st.reply?.list && !keys.has(st.reply.list)) problems.push(`${at(stateId)}: list ${st.reply.list} is not set on every path here`);
      for (const key of st.say) checkTemplate(key, keys, at(stateId));
      const outcomes = outcomesOf(stateId, st);
      for (const [outcome, edge] of Object.entries(st.on)) {
        const { sets, results } = edgeEffect(stateId, edge);
        const after = new Set([...keys, ...(outcomes.get(outcome) ?? []), ...sets, ...results]);
        for (const key of edge.say) checkTemplate(key, after, `${at(stateId)} → ${outcome}`);
      }
    }
  }
  return [...new Set(problems)];
}
