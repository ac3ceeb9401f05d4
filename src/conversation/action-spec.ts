import type { FlowData, Json } from './conversation-state.ts';
import type { Effect } from './effects.ts';
import type { FlowContext } from './flow-context.ts';

/**
 * A named piece of TypeScript that a flow calls: it reads the resident's text (or nothing, in a
 * decision state), looks at the flow's data and the context, and names an outcome. It may set data
 * and ask for effects. It never does IO.
 */
export interface ActionInput {
  text: string | null;
  data: FlowData;
  ctx: FlowContext;
}

export interface ActionResult {
  outcome: string;
  /** Data to set (undefined values are ignored). */
  set?: Readonly<Record<string, Json | undefined>>;
  effects?: Effect[];
}

export interface ActionSpec {
  /** Each outcome it may name, with the data keys it sets then (checked by flow validation). */
  outcomes: Readonly<Record<string, readonly string[]>>;
  /** Names of the effect results its effects give back (e.g. receiptNo), for the replies after it. */
  results?: readonly string[];
  run(input: ActionInput): ActionResult;
}

export type ActionRegistry = Readonly<Record<string, ActionSpec>>;
