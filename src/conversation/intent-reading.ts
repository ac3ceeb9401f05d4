import { parseReceiptNo } from '../domain/receipt-number.ts';
import { compactText } from '../text/normalise.ts';
import type { Intent } from './flow-schema.ts';

/**
 * Reading a global intent (进度, 投诉, 不办了, 找代办员…) from what the resident wrote, in four ways,
 * strongest first: the whole message is one of the intent's words; it starts with one of its prefixes
 * (the rest is kept); it is only a receipt number; or it carries the intent's cues — its meaning in
 * villagers' words ("我老汉儿的事办到哪了", "叫代办员给我打个电话").
 *
 * A cue is written in flows/intents.yaml as word sets joined by " + ": "办到|弄到 + 哪|啥子" means
 * some word of every set occurs, anywhere and in any order. `@agent` stands for the resident's
 * agent's name. An intent's `unless` words veto its cues (not its words). Everything is compiled once,
 * when the engine is built; a message costs one pass of a few regular expressions.
 */

/** How strongly the message said it: a state that takes free text gives way only to the strong. */
export type IntentStrength = 'word' | 'prefix' | 'receipt' | 'cue';

export interface IntentHit {
  intent: Intent;
  /** The rest of the message after a prefix, the whole message for a cue, or the receipt number. */
  rest: string;
  by: IntentStrength;
}

export interface CompiledCue {
  /** Every set must match: one of its words, or the agent's name where the set names `@agent`. */
  sets: { words: RegExp | null; agent: boolean }[];
}

interface CompiledIntent {
  intent: Intent;
  words: ReadonlySet<string>;
  prefixes: readonly { raw: string; compact: string }[];
  cues: readonly CompiledCue[];
  unless: RegExp | null;
}

export interface IntentReader {
  /** The intent the message means, or null. `agentName` fills `@agent` cues. */
  read(text: string, agentName?: string | null): IntentHit | null;
}

export class CueSyntaxError extends Error {
  override name = 'CueSyntaxError';
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function alternation(words: readonly string[], where: string): RegExp {
  const compact = words.map((w) => compactText(w)).filter(Boolean);
  if (compact.length !== words.length) throw new CueSyntaxError(`${where}: an empty word (or one of only punctuation)`);
  // Longest first, so that the regular expression engine need not backtrack over prefixes.
  return new RegExp(
    [...new Set(compact)]
      .sort((a, b) => b.length - a.length)
      .map(escape)
      .join('|'),
  );
}

/** "办到|弄到 + 哪|啥子" → two sets; "@agent" is the agent's name. */
export function compileCue(cue: string, where = 'cue'): CompiledCue {
  const sets = cue.split('+').map((set) => set.trim());
  if (sets.some((s) => !s)) throw new CueSyntaxError(`${where}: "${cue}" has an empty word set`);
  return {
    sets: sets.map((set) => {
      const alternatives = set.split('|').map((w) => w.trim());
      const words = alternatives.filter((w) => w !== '@agent');
      if (words.some((w) => w.includes('@'))) throw new CueSyntaxError(`${where}: "${set}": @agent is a word of its own`);
      return { words: words.length ? alternation(words, `${where}: "${cue}"`) : null, agent: words.length < alternatives.length };
    }),
  };
}

const matchesCompact = (c: string, cue: CompiledCue, agent: string) =>
  cue.sets.every((set) => Boolean(set.words?.test(c)) || (set.agent && agent !== '' && c.includes(agent)));

/** Whether a message carries a cue (for readers of answers by meaning: the residence, the complaint type). */
export function cueMatches(text: string, cue: CompiledCue): boolean {
  return matchesCompact(compactText(text), cue, '');
}

/** Compiles the intents once; throws CueSyntaxError on a malformed cue. */
export function createIntentReader(intents: readonly Intent[]): IntentReader {
  const compiled: CompiledIntent[] = intents.map((intent) => ({
    intent,
    words: new Set(intent.words.map((w) => compactText(w)).filter(Boolean)),
    prefixes: intent.prefixes.map((p) => ({ raw: p, compact: compactText(p) })).filter((p) => p.compact),
    cues: intent.cues.map((c) => compileCue(c, `intent ${intent.id}`)),
    unless: intent.unless.length ? alternation(intent.unless, `intent ${intent.id} unless`) : null,
  }));

  return {
    read(text, agentName) {
      const c = compactText(text);
      if (!c) return null;
      for (const ci of compiled) if (ci.words.has(c)) return { intent: ci.intent, rest: '', by: 'word' };
      for (const ci of compiled) {
        for (const p of ci.prefixes) {
          if (!c.startsWith(p.compact)) continue;
          const trimmed = text.trim();
          const rest = trimmed.startsWith(p.raw) ? trimmed.slice(p.raw.length).replace(/^[\s:：,，]+/, '') : c.slice(p.compact.length);
          return { intent: ci.intent, rest, by: 'prefix' };
        }
      }
      const receipt = parseReceiptNo(text);
      if (receipt) {
        const ci = compiled.find((i) => i.intent.receiptNumber);
        if (ci) return { intent: ci.intent, rest: receipt, by: 'receipt' };
      }
      const agent = agentName ? compactText(agentName) : '';
      for (const ci of compiled) {
        if (!ci.cues.length || ci.unless?.test(c)) continue;
        if (ci.cues.some((cue) => matchesCompact(c, cue, agent))) return { intent: ci.intent, rest: text.trim(), by: 'cue' };
      }
      return null;
    },
  };
}
