import { describe, expect, it } from 'vitest';
import { checkMsgSignature, checkSignature, computeSignature, MAX_CLOCK_SKEW_MS } from '../../../src/channels/wechat/signature.ts';

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

  it('checks msg_signature over the encrypted text (wechat.md vector), case-insensitively, with the same clock rule', () => {
    const q = { msgSignature: '74D92DFEB87BA7C714F89D98870AE5EB62DFF26D', timestamp: '1411525903', nonce: '461056294' };
    const encrypt = 'RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxps';
    const vectorAt = 1411525903 * 1000;
    // The vector's Encrypt is long; a prefix must not pass, the whole signed text must.
    expect(checkMsgSignature('123456', q, encrypt, vectorAt)).toEqual({ ok: false, reason: 'bad_signature' });
    const full =
      encrypt +
      'q5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=';
    expect(checkMsgSignature('123456', q, full, vectorAt)).toEqual({ ok: true });
    expect(checkMsgSignature('123456', q, full, vectorAt + MAX_CLOCK_SKEW_MS + 1000)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(checkMsgSignature('654321', q, full, vectorAt)).toEqual({ ok: false, reason: 'bad_signature' });
  });
});
