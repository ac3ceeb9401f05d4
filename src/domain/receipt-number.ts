import { normaliseText } from '../text/normalise.ts';

/**
 * Receipt numbers (回执号): "DB" + the Shanghai date as YYMMDD + a daily sequence of at least three
 * digits, e.g. DB261201007. Short enough to read out on the phone; the prefix is optional when typed.
 */

export function formatReceiptNo(localDate: string, sequence: number): string {
  const yymmdd = localDate.slice(2).replaceAll('-', '');
  return `DB${yymmdd}${String(sequence).padStart(3, '0')}`;
}

/** yymmdd with a real month and day, then a sequence of 3–6 digits. */
const BODY = '(\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])\\d{3,6})';
const WITH_PREFIX = new RegExp(`^db${BODY}$`);
/** Without the prefix only 9–10 digits, so that an 11-digit phone number is never taken for one. */
const WITHOUT_PREFIX = /^(\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3,4})$/;

/** Accepts "DB261201007", "db 261201-007", "261201007", full-width digits; null when it is not one. */
export function parseReceiptNo(raw: string): string | null {
  const compact = normaliseText(raw).replace(/[\s\-_#:：.]/g, '');
  const m = WITH_PREFIX.exec(compact) ?? WITHOUT_PREFIX.exec(compact);
  return m ? `DB${m[1]}` : null;
}

/** Finds a receipt number inside a longer text, e.g. "查询 DB261201007". */
export function findReceiptNo(text: string): string | null {
  for (const m of normaliseText(text).matchAll(/(?:db\s*)?(?<!\d)\d{6}[\s-]?\d{3,6}(?!\d)/g)) {
    const found = parseReceiptNo(m[0]);
    if (found) return found;
  }
  return null;
}
