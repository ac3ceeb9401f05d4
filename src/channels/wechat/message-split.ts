/**
 * Cutting text to the sizes WeChat's APIs take: a passive reply, a customer-service message and a
 * WeCom message each carry about 2,000 bytes (UTF-8). Cuts fall at line boundaries where there are
 * some, otherwise after the last whole character that fits.
 */

/**
 * Joins texts with a blank line and cuts the result below `maxBytes`; `rest` is what did not fit.
 */
export function fitText(texts: readonly string[], maxBytes: number): { text: string; rest: string } {
  const joined = texts.filter((t) => t !== '').join('\n\n');
  if (Buffer.byteLength(joined, 'utf8') < maxBytes) return { text: joined, rest: '' };
  let cut = 0;
  let bytes = 0;
  let lastBreak = -1;
  for (const char of joined) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size >= maxBytes) break;
    bytes += size;
    cut += char.length;
    if (char === '\n') lastBreak = cut - 1;
  }
  // At a line boundary when there is one; otherwise at the last whole character that fits.
  const end = lastBreak > 0 ? lastBreak : cut;
  return { text: joined.slice(0, end).trimEnd(), rest: joined.slice(end).replace(/^\n+/, '') };
}

/** The customer-service API's size of one text. */
export const CUSTOMER_SERVICE_MAX_BYTES = 2000;

/** Splits text into parts of at most `maxBytes` (UTF-8), at line boundaries where there are some. */
export function splitMessage(text: string, maxBytes = CUSTOMER_SERVICE_MAX_BYTES): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest !== '') {
    const fitted = fitText([rest], maxBytes);
    if (fitted.text !== '') parts.push(fitted.text);
    rest = fitted.rest;
  }
  return parts;
}
