/**
 * Values of template and subscribe message fields, cut to what WeChat accepts for each field type
 * (an over-long value makes the whole send fail with 47003). Lengths are counted in Unicode code
 * points — never fewer than what the user sees, so a value we let through is never too long — and
 * cut only between graphemes, so an emoji or a character with a combining mark is never split.
 * Free text gets "…" when cut; identifiers, names and numbers are cut plainly (an ellipsis would
 * only make them look like something else).
 */

export const FIELD_TYPES = [
  'thing',
  'phrase',
  'name',
  'character_string',
  'number',
  'letter',
  'symbol',
  'amount',
  'phone_number',
  'car_number',
  'time',
  'date',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

interface FieldRule {
  max: number;
  ellipsis: boolean;
  /** Characters the type does not allow are taken out before cutting. */
  strip?: RegExp;
}

const RULES: Record<FieldType, FieldRule> = {
  thing: { max: 20, ellipsis: true },
  phrase: { max: 5, ellipsis: false },
  name: { max: 10, ellipsis: false },
  character_string: { max: 32, ellipsis: false, strip: /[^\x21-\x7e]/gu },
  number: { max: 32, ellipsis: false, strip: /[^0-9.]/gu },
  letter: { max: 32, ellipsis: false, strip: /[^A-Za-z]/gu },
  symbol: { max: 5, ellipsis: false, strip: /[\p{L}\p{N}\s]/gu },
  amount: { max: 10, ellipsis: false, strip: /[^0-9.元¥]/gu },
  phone_number: { max: 17, ellipsis: false, strip: /[^0-9+-]/gu },
  car_number: { max: 8, ellipsis: false },
  time: { max: 20, ellipsis: false },
  date: { max: 20, ellipsis: false },
};

export const fieldLimit = (type: FieldType) => RULES[type].max;

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });
const codePoints = (text: string) => [...text].length;

/** Cuts `text` to at most `max` code points between graphemes, with "…" (one code point) when `ellipsis`. */
export function cutText(text: string, max: number, ellipsis: boolean): string {
  if (max <= 0) return '';
  if (codePoints(text) <= max) return text;
  const budget = ellipsis ? max - 1 : max;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const size = codePoints(segment);
    if (used + size > budget) break;
    out += segment;
    used += size;
  }
  out = out.replace(/\s+$/u, '');
  return ellipsis ? `${out}…` : out;
}

/** The value WeChat will accept for a field of `type`: one line, allowed characters only, cut to the limit. */
export function fitFieldValue(type: FieldType, value: string): string {
  const rule = RULES[type];
  let text = value.replace(/\s+/gu, ' ').trim();
  if (rule.strip) text = text.replace(rule.strip, '');
  return cutText(text, rule.max, rule.ellipsis);
}
