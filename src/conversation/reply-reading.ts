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
  // Said more loosely: "我不同意", "提交吧", "不用了", "可以可以".
  const loose = new Set([plainOf(c), plainOf(halve(c))]);
  return options.find((o) => o.words.some((w) => loose.has(plainOf(compactText(w))))) ?? null;
}

/** Sentence-final particles and a leading 我, which change nothing in a short answer. */
function plainOf(c: string): string {
  const plain = c.replace(/^我/, '').replace(/[吧嘛的啊呀哦了啦呢哈噻撒嘞]+$/u, '');
  return plain || c;
}

/** "可以可以" → "可以". */
function halve(c: string): string {
  const half = c.length / 2;
  return Number.isInteger(half) && c.slice(0, half) === c.slice(half) ? c.slice(0, half) : c;
}
