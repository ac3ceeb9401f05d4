import { z } from 'zod';

/**
 * The shape of `flows/*.yaml`: declarative conversation flows. A state says something (template
 * keys), reads the reply (numbered options, a numbered list from the flow's data, or free text
 * through a named action) and follows the edge named by the outcome. Decision states run an action
 * at once and branch without waiting for the resident.
 */

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower snake case');
/** Keys of a flow's data are camelCase, like the variables templates read. */
const dataKey = z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'camelCase');
const templateKey = z.string().regex(/^[a-z][a-z0-9_]*\.[a-z0-9_.]+$/, 'a template key like area.name');

/** A state id, `end` (back to the idle menu), `menu` (show the menu), `retry`, or `flow:<id>`. */
const target = z.string().regex(/^(?:[a-z][a-z0-9_]*|flow:[a-z][a-z0-9_]*)$/, 'a state id, end, menu, retry or flow:<id>');

export const edgeSchema = z.union([
  target.transform((to) => ({ to, say: [] as string[], do: undefined as string | undefined })),
  z.strictObject({
    to: target,
    say: z.array(templateKey).default([]),
    /** An action run on the way (it may set data and produce effects). */
    do: id.optional(),
  }),
]);
export type Edge = z.output<typeof edgeSchema>;

export const optionSchema = z.strictObject({
  id,
  /** Template key of the option's label, shown numbered. */
  label: templateKey,
  /** Other words that pick this option (the label's own text always does). */
  words: z.array(z.string().min(1)).default([]),
  /** Fixed number to show (e.g. 0 for "none of these"); otherwise numbered in order. */
  number: z.number().int().min(0).max(99).optional(),
  /** Any plain acknowledgement ("是", "嗯嗯", "好的知道了", "ok", 👌) picks this option (acknowledgement-reading.ts). */
  ack: z.boolean().default(false),
});
export type FlowOption = z.output<typeof optionSchema>;

export const replySchema = z
  .strictObject({
    options: z.array(optionSchema).default([]),
    /** A data key holding [{ value, label }] shown as a numbered list before the options. */
    list: dataKey.optional(),
    /** Where a chosen list value is stored; the outcome is `chosen`. */
    into: dataKey.optional(),
    /** Action that reads any other text. */
    text: id.optional(),
    /** Messages of emoji or symbols only (👍, ⭐⭐⭐) go to the text action too, instead of being asked for words. */
    symbols: z.boolean().default(false),
    /**
     * The text action takes any text (a complaint, a message to the agent): only an intent's whole word
     * (取消, 菜单) interrupts it, not a prefix or a cue. Otherwise intents read by meaning come first.
     */
    free: z.boolean().default(false),
    /**
     * Only these intents are read by meaning (cues) at this step; their words always work. For a step
     * whose answers sound like intents: a complaint story ("一个多月了还没办好") is not a progress question.
     */
    intentsByMeaning: z.array(id).optional(),
  })
  .refine((r) => !r.symbols || r.text, { message: 'symbols needs a text action to read them' })
  .refine((r) => !r.free || r.text, { message: 'free needs a text action to take the text' })
  .refine((r) => !r.list === !r.into, { message: 'list and into go together' })
  .refine((r) => r.options.length > 0 || r.list || r.text, { message: 'a reply needs options, a list or a text action' });

export const stateSchema = z
  .strictObject({
    say: z.array(templateKey).default([]),
    /** Shown for 帮助 in this state, instead of the flow's help. */
    help: templateKey.optional(),
    reply: replySchema.optional(),
    /** Decision state: run this action at once (no input) and follow its outcome. */
    decide: id.optional(),
    on: z.record(id, edgeSchema).default({}),
  })
  .refine((s) => !(s.reply && s.decide), { message: 'a state either waits for a reply or decides, not both' })
  .refine((s) => s.reply || s.decide, { message: 'a state needs a reply or a decide action' });
export type FlowState = z.output<typeof stateSchema>;

export const flowSchema = z.strictObject({
  id,
  version: z.number().int().min(1),
  description: z.string().optional(),
  /** Data keys the flow may be started with (e.g. the text that started it). */
  accepts: z.array(dataKey).default([]),
  /** Shown for 帮助 when the state has no help of its own. */
  help: templateKey.optional(),
  /** What the resident is doing here in a few words (申请办事, 投诉), said when it is cancelled. */
  title: templateKey.optional(),
  /** Asides (progress, who is our agent, a word to the agent, a complaint) return to the interrupted flow when they end. */
  interrupts: z.boolean().default(false),
  start: id,
  states: z.record(id, stateSchema),
});
export type Flow = z.output<typeof flowSchema>;

const flowTarget = z.string().regex(/^flow:[a-z][a-z0-9_]*$/);

export const intentSchema = z.strictObject({
  id,
  /** Whole messages that mean this intent (compared without spaces and punctuation). */
  words: z.array(z.string().min(1)).default([]),
  /** Messages that start with one of these also mean it; the rest is kept as `initialText`. */
  prefixes: z.array(z.string().min(1)).default([]),
  /** A message that is only a receipt number means this intent. */
  receiptNumber: z.boolean().default(false),
  /**
   * The meaning in villagers' words, anywhere in a message: word sets joined by " + ", each set's words
   * by "|" ("办到|弄到 + 哪|啥子"); every set must occur. `@agent` is the resident's agent's name.
   */
  cues: z.array(z.string().regex(/^[^+]+(?:\+[^+]+)*$/, 'word sets joined by " + "')).default([]),
  /** Words that veto the cues (not the words or prefixes): "不是要投诉". */
  unless: z.array(z.string().min(1)).default([]),
  /** Built-in handling, or the flow it starts. */
  does: z.union([z.enum(['help', 'cancel', 'back', 'restart', 'menu', 'greet']), flowTarget]),
  /** At the menu (nothing to cancel) with an errand that can still be withdrawn, this flow starts instead. */
  idleWithErrand: flowTarget.optional(),
});
export type Intent = z.output<typeof intentSchema>;

export const intentsFileSchema = z.strictObject({
  intents: z.array(intentSchema).min(1),
});
