/**
 * Forgiving input: what villagers type arrives with full-width digits and letters, odd spaces,
 * zero-width characters from copy-paste, emoji and the occasional control character.
 */

// Control characters except tab and newline, zero-width characters and the byte-order mark.
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200F\u2028\u2029\u2060\uFEFF]/g;

/** NFKC (full-width → half-width, ① → 1), invisible characters removed, whitespace collapsed, Latin lower-cased. */
export function normaliseText(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/[\s\u3000]+/g, ' ')
    .trim()
    .toLowerCase();
}

/** For matching words: also drops punctuation, symbols and spaces. */
export function compactText(raw: string): string {
  return normaliseText(raw).replace(/[\p{P}\p{S}\s]+/gu, '');
}

/** True when the text has letters or digits in any script (not only emoji, punctuation or spaces). */
export function hasWords(raw: string): boolean {
  return /[\p{L}\p{N}]/u.test(raw);
}

/** Cuts a text to at most `max` characters (code points), for storage and echoing. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}
