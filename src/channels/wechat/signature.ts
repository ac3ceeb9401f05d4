import { createHash, timingSafeEqual } from 'node:crypto';
import { computeMsgSignature } from './message-crypto.ts';

/**
 * The Official Account's request signature: hex(sha1(sorted [token, timestamp, nonce] joined)).
 * Every GET and POST carries it in the query; it is checked in constant time, and a timestamp far
 * from our clock is refused so that a captured request cannot be replayed later. Safe mode adds
 * `msg_signature`, which also covers the encrypted message (or the encrypted echostr).
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

function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function freshTimestamp(timestamp: string, now: number, maxSkewMs: number): boolean {
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
  return Number.isFinite(seconds) && Math.abs(seconds * 1000 - now) <= maxSkewMs;
}

export function checkSignature(token: string, query: SignedQuery, now: number, maxSkewMs = MAX_CLOCK_SKEW_MS): SignatureCheck {
  if (!sameHex(computeSignature(token, query.timestamp, query.nonce), query.signature)) return { ok: false, reason: 'bad_signature' };
  if (!freshTimestamp(query.timestamp, now, maxSkewMs)) return { ok: false, reason: 'stale_timestamp' };
  return { ok: true };
}

/** Safe mode: `msg_signature` over the token, timestamp, nonce and the encrypted text. */
export function checkMsgSignature(
  token: string,
  query: { msgSignature: string; timestamp: string; nonce: string },
  encrypt: string,
  now: number,
  maxSkewMs = MAX_CLOCK_SKEW_MS,
): SignatureCheck {
  if (!sameHex(computeMsgSignature(token, query.timestamp, query.nonce, encrypt), query.msgSignature)) return { ok: false, reason: 'bad_signature' };
  if (!freshTimestamp(query.timestamp, now, maxSkewMs)) return { ok: false, reason: 'stale_timestamp' };
  return { ok: true };
}
