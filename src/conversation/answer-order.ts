import type { Json } from './conversation-state.ts';
import type { FlowState } from './flow-schema.ts';
import { isAcknowledgement } from './acknowledgement-reading.ts';
import type { IntentHit, IntentReader } from './intent-reading.ts';
import { matchOptionLoosely, matchOptionWord, readNumber, type NumberedOption } from './reply-reading.ts';

/**
 * Which reading of a message wins at a step, in order: a choice number or an option's word; a global
 * intent's whole word (帮助, 取消, 你好…); an option said loosely ("可以办", "我不同意") or, where an option
 * takes one, an acknowledgement ("是", "嗯嗯", 👌); a global intent by prefix, receipt number or meaning;
 * the step's text action. A step that takes free text (`free`) gives way only to an intent's whole word,
 * a step may name the intents it reads by meaning (`intentsByMeaning`), and an intent never restarts by
 * meaning the flow it is already in.
 */

export type AnswerReading =
  { kind: 'option'; id: string } | { kind: 'list'; value: Json } | { kind: 'intent'; hit: IntentHit } | { kind: 'text'; action: string } | { kind: 'none' };

export interface AnswerStep {
  flowId: string;
  state: FlowState;
  options: readonly NumberedOption[];
  list: readonly { value: Json }[];
  agentName: string | null;
}

export function readAnswer(text: string, step: AnswerStep, intents: IntentReader): AnswerReading {
  const { options, list } = step;
  const reply = step.state.reply;
  if (!reply) return { kind: 'none' };
  const n = readNumber(text);
  if (n !== null) {
    const option = options.find((o) => o.number === n);
    if (option) return { kind: 'option', id: option.id };
    const entry = n >= 1 ? list[n - 1] : undefined;
    if (entry && reply.into) return { kind: 'list', value: entry.value };
  }
  const worded = matchOptionWord(text, options);
  if (worded) return { kind: 'option', id: worded.id };

  const hit = intents.read(text, step.agentName);
  if (hit?.by !== 'word') {
    const loose = matchOptionLoosely(text, options) ?? (isAcknowledgement(text) ? options.find((o) => o.ack) : undefined);
    if (loose) return { kind: 'option', id: loose.id };
  }
  if (hit) {
    const byMeaning = !reply.intentsByMeaning || reply.intentsByMeaning.includes(hit.intent.id);
    const takes = hit.by === 'word' || (!reply.free && hit.intent.does !== `flow:${step.flowId}` && (hit.by !== 'cue' || byMeaning));
    if (takes) return { kind: 'intent', hit };
  }
  return reply.text ? { kind: 'text', action: reply.text } : { kind: 'none' };
}

/** A message of emoji only is read where the step reads symbols, an option lists that emoji, or it acknowledges (👌) where one is wanted. */
export function readsSymbols(text: string, state: FlowState, options: readonly NumberedOption[]): boolean {
  if (!state.reply || !text.trim()) return false;
  return state.reply.symbols || matchOptionWord(text, options) !== null || (options.some((o) => o.ack) && isAcknowledgement(text));
}
