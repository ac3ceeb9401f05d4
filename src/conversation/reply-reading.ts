import { compactText, normaliseText } from '../text/normalise.ts';
import type { FlowOption } from './flow-schema.ts';

/**
 * Reading a resident's answer the forgiving way: "1", "１", "①", "一", "第一个", "选1", "1号" are all
 * the number one; option labels and their synonyms are compared without spaces and punctuation.
 */

const CHINESE_NUMBERS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/** A whole message that is just a choice number, or null. */
export function readNumber(text: string): number | null {
  const c = compactText(text)
    .replace(/^(?:选|回复|回|第|就|要)+/, '')
    .replace(/(?:个|号|项|条|吧|嘛|哦|啊)+$/, '');
  if (/^\d{1,2}$/.test(c)) return Number(c);
  if (c.length === 1 && c in CHINESE_NUMBERS) return CHINESE_NUMBERS[c] ?? null;
  if (/^十[一二三四五六七八九]$/.test(c)) return 10 + (CHINESE_NUMBERS[c[1] as string] ?? 0);
  return null;
}

export interface NumberedOption {
  number: number;
  id: string;
  /** The rendered label text (matched as a word too). */
  label: string;
  words: readonly string[];
  /** Picked by any plain acknowledgement. */
  ack: boolean;
}

/** Numbers options: list entries first (1…k), then the options in order, skipping fixed numbers. */
export function numberOptions(listLength: number, options: readonly FlowOption[], labelText: (key: string) => string): NumberedOption[] {
  const fixed = new Set(options.filter((o) => o.number !== undefined).map((o) => o.number));
  let next = listLength + 1;
  return options.map((o) => {
    let number = o.number;
    if (number === undefined) {
      while (fixed.has(next)) next++;
      number = next++;
    }
    return { number, id: o.id, label: labelText(o.label), words: o.words, ack: o.ack };
  });
}

/** Variation selectors, skin tones and joiners that ride along with emoji. */
const EMOJI_MODIFIERS = /\uFE0E|\uFE0F|\u200D|[\u{1F3FB}-\u{1F3FF}]/gu;

/** A message of symbols only (👌, 👍👍) as compared with an option's words: emoji without modifiers, spaces or repeats. */
export function symbolsOf(text: string): string {
  return normaliseText(text)
    .replace(EMOJI_MODIFIERS, '')
    .replace(/\s+/g, '')
    .replace(/(.)\1+/gu, '$1');
}

/** An option whose label or one of whose words is the whole message; an emoji word (👌) matches that emoji alone. */
export function matchOptionWord(text: string, options: readonly NumberedOption[]): NumberedOption | null {
  const c = compactText(text);
  if (!c) {
    const symbols = symbolsOf(text);
    return symbols ? (options.find((o) => o.words.some((w) => !compactText(w) && symbolsOf(w) === symbols)) ?? null) : null;
  }
  for (const o of options) {
    if (compactText(o.label) === c) return o;
    if (o.words.some((w) => compactText(w) === c)) return o;
  }
  return null;
}

/** An option said loosely, in words of that option only and small fillers: "我不同意", "提交吧", "可以办", "确定提交", "可以可以". */
export function matchOptionLoosely(text: string, options: readonly NumberedOption[]): NumberedOption | null {
  const c = compactText(text);
  if (!c) return null;
  const composed = options.filter((o) => composedOf(c, o.words));
  return composed.length === 1 ? (composed[0] ?? null) : null;
}

/** Particles and small words that change nothing in a short answer. */
const FILLERS = ['我', '了', '的', '吧', '嘛', '啊', '呀', '哦', '噢', '呢', '啦', '哈', '嘞', '噻', '撒', '嗯', '就', '那就', '这个', '这件事'];

/** Whether the message is one or more of these words, with fillers only between them. */
function composedOf(c: string, words: readonly string[]): boolean {
  const pieces = [...words.map((w) => [compactText(w), true] as const), ...FILLERS.map((f) => [f, false] as const)]
    .filter(([p]) => p)
    .sort((a, b) => b[0].length - a[0].length);
  let i = 0;
  let said = false;
  while (i < c.length) {
    const piece = pieces.find(([p]) => c.startsWith(p, i));
    if (!piece) return false;
    said ||= piece[1];
    i += piece[0].length;
  }
  return said;
}
