import { parseReceiptNo } from '../domain/receipt-number.ts';
import { compactText } from '../text/normalise.ts';
import type { FlowOption, Intent } from './flow-schema.ts';

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
    return { number, id: o.id, label: labelText(o.label), words: o.words };
  });
}

/** An option whose label or one of whose words is the whole message. */
export function matchOptionWord(text: string, options: readonly NumberedOption[]): NumberedOption | null {
  const c = compactText(text);
  if (!c) return null;
  for (const o of options) {
    if (compactText(o.label) === c) return o;
    if (o.words.some((w) => compactText(w) === c)) return o;
  }
  return null;
}

export interface IntentHit {
  intent: Intent;
  /** The rest of the message after a prefix (or the whole message), e.g. the receipt number. */
  rest: string;
}

export function matchIntent(text: string, intents: readonly Intent[]): IntentHit | null {
  const c = compactText(text);
  if (!c) return null;
  for (const intent of intents) {
    if (intent.words.some((w) => compactText(w) === c)) return { intent, rest: '' };
  }
  for (const intent of intents) {
    for (const p of intent.prefixes) {
      const cp = compactText(p);
      if (!cp || !c.startsWith(cp)) continue;
      const trimmed = text.trim();
      return { intent, rest: trimmed.startsWith(p) ? trimmed.slice(p.length).replace(/^[\s:：,，]+/, '') : c.slice(cp.length) };
    }
  }
  const receipt = parseReceiptNo(text);
  if (receipt) {
    const intent = intents.find((i) => i.receiptNumber);
    if (intent) return { intent, rest: receipt };
  }
  return null;
}
