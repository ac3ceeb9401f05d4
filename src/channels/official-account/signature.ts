import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The Official Account's request signature: hex(sha1(sorted [token, timestamp, nonce] joined)).
 * Every GET and POST carries it in the query; it is checked in constant time, and a timestamp far
 * from our clock is refused so that a captured request cannot be replayed later.
 */

/** How far a request's timestamp may be from our clock, either way. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export function computeSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

export interface SignedQuery {
  signature: string;
  timestamp: string;
  nonce: string;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'bad_signature' | 'stale_timestamp' };

export function checkSignature(token: string, query: SignedQuery, now: number, maxSkewMs = MAX_CLOCK_SKEW_MS): SignatureCheck {
  const expected = Buffer.from(computeSignature(token, query.timestamp, query.nonce), 'utf8');
  const given = Buffer.from(query.signature.toLowerCase(), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  const seconds = /^\d{1,12}$/.test(query.timestamp) ? Number(query.timestamp) : NaN;
  if (!Number.isFinite(seconds) || Math.abs(seconds * 1000 - now) > maxSkewMs) return { ok: false, reason: 'stale_timestamp' };
  return { ok: true };
}
