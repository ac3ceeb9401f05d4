import { createHash } from 'node:crypto';
import { MAX_CLOCK_SKEW_MS } from '../wechat/signature.ts';

/**
 * A plain-mode signature covers the token, the timestamp and the nonce, not the body: whoever saw one
 * signed URL (a proxy log, a debug log) could post any body under it while the timestamp is fresh. So
 * each (timestamp, nonce) is a one-use key, kept with a digest of its body for as long as the
 * timestamp is accepted: the same bytes again are WeChat's re-delivery, other bytes a replay.
 */

export interface OneUseKey {
  key: string;
  digest: string;
  expiresAt: number;
}

export function oneUseKeyOf(query: { timestamp: string; nonce: string }, body: string): OneUseKey {
  return {
    key: `official-account:${query.timestamp}:${query.nonce}`,
    // 128 bits of SHA-256: plenty to tell two bodies apart.
    digest: createHash('sha256').update(body, 'utf8').digest().subarray(0, 16).toString('base64'),
    // The timestamp was checked to be a number within the skew; it is accepted until then.
    expiresAt: Number(query.timestamp) * 1000 + MAX_CLOCK_SKEW_MS,
  };
}
