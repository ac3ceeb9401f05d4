import { describe, expect, it } from 'vitest';
import { checkSignature, computeSignature, MAX_CLOCK_SKEW_MS } from '../../../src/channels/official-account/signature.ts';

// The vector of wechat.md.
const token = 'AAAAA';
const timestamp = '1714036504';
const nonce = '1514711492';
const signature = 'f464b24fc39322e44b38aa78f5edd27bd1441696';
const at = Number(timestamp) * 1000;

describe('official account signature', () => {
  it('matches the public vector', () => {
    expect(computeSignature(token, timestamp, nonce)).toBe(signature);
  });

  it('accepts the vector at its own time and within the allowed clock skew', () => {
    expect(checkSignature(token, { signature, timestamp, nonce }, at)).toEqual({ ok: true });
    expect(checkSignature(token, { signature, timestamp, nonce }, at + MAX_CLOCK_SKEW_MS - 1000)).toEqual({ ok: true });
  });

  it('refuses a wrong, truncated or missing signature, and another token', () => {
    const bad = { ok: false, reason: 'bad_signature' };
    expect(checkSignature(token, { signature: signature.replace('f4', 'f5'), timestamp, nonce }, at)).toEqual(bad);
    expect(checkSignature(token, { signature: signature.slice(0, 39), timestamp, nonce }, at)).toEqual(bad);
    expect(checkSignature(token, { signature: '', timestamp, nonce }, at)).toEqual(bad);
    expect(checkSignature('BBBBB', { signature, timestamp, nonce }, at)).toEqual(bad);
    expect(checkSignature(token, { signature, timestamp, nonce: '1514711493' }, at)).toEqual(bad);
  });

  it('refuses a correctly signed request whose timestamp is more than five minutes off the clock', () => {
    const stale = { ok: false, reason: 'stale_timestamp' };
    expect(checkSignature(token, { signature, timestamp, nonce }, at + MAX_CLOCK_SKEW_MS + 1000)).toEqual(stale);
    expect(checkSignature(token, { signature, timestamp, nonce }, at - MAX_CLOCK_SKEW_MS - 1000)).toEqual(stale);
    expect(MAX_CLOCK_SKEW_MS).toBe(5 * 60_000);
  });
});
