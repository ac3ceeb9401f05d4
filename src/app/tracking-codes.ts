import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A receipt's tracking code: eight letters and digits signed with the server's key, so that a link
 * or QR code to an errand's progress cannot be guessed by walking the sequential receipt numbers
 * (DB261201001, …002). The receipt number and its code together open the progress without the phone.
 */

export interface TrackingCodes {
  of(receiptNo: string): string;
  matches(receiptNo: string, code: string): boolean;
}

/** Crockford's base 32: no I, L, O or U to misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TRACKING_CODE_LENGTH = 8;

export function createTrackingCodes(secret: string): TrackingCodes {
  const of = (receiptNo: string) => {
    const digest = createHmac('sha256', secret).update(`tracking:${receiptNo}`).digest();
    let code = '';
    // 8 × 5 bits from the first 5 bytes.
    let bits = 0n;
    for (const byte of digest.subarray(0, 5)) bits = (bits << 8n) | BigInt(byte);
    for (let i = TRACKING_CODE_LENGTH - 1; i >= 0; i--) code += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
    return code;
  };
  return {
    of,
    matches(receiptNo, code) {
      const given = Buffer.from(code.trim().toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1'), 'utf8');
      const expected = Buffer.from(of(receiptNo), 'utf8');
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
