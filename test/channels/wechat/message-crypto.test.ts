import { createCipheriv } from 'node:crypto';
import * as wecom from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import { aesKeyOf, computeMsgSignature, createMessageCrypto } from '../../../src/channels/wechat/message-crypto.ts';
import { parsePush } from '../../../src/channels/official-account/xml-message.ts';

// The vectors of wechat.md (public, from wechatpy's tests).
const token = '123456';
const key = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const appId = 'wx49f0ab532d5d035a';
const inbound = {
  timestamp: '1411525903',
  nonce: '461056294',
  msgSignature: '74d92dfeb87ba7c714f89d98870ae5eb62dff26d',
  encrypt:
    'RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=',
};
const outbound = {
  random: Buffer.from('1234567890123456', 'utf8'),
  plaintext:
    '<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>',
  encrypt:
    '9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3',
  msgSignature: '407518b7649e86ef23978113f92d27afa9296533',
};
const urlCheck = {
  timestamp: '1411443780',
  nonce: '437374425',
  msgSignature: 'dd6b9c95b495b3f7e2901bfbc76c664930ffdb96',
  echostr: '4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==',
};
/** Another valid EncodingAESKey (43 base64 characters). */
const otherKey = Buffer.alloc(32, 7).toString('base64').slice(0, 43);
const crypto = createMessageCrypto({ appId, encodingAesKey: key });

/** Encrypts raw plaintext bytes under `key` with no padding of its own: for forging bad messages. */
function rawEncrypt(plain: Buffer, encodingAesKey = key): string {
  const aes = aesKeyOf(encodingAesKey)!;
  const cipher = createCipheriv('aes-256-cbc', aes, aes.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}
const framed = (message: string, trailer: string) => {
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  return Buffer.concat([Buffer.alloc(16, 1), length, body, Buffer.from(trailer, 'utf8')]);
};
const pad32 = (data: Buffer) => Buffer.concat([data, Buffer.alloc(32 - (data.length % 32), 32 - (data.length % 32))]);

describe('message crypto (safe mode)', () => {
  it('decrypts the public vector to a push from messense saying "test", with the appid trailer', () => {
    const d = crypto.decrypt(inbound.encrypt);
    expect(d).toMatchObject({ ok: true, appId, key: 'current' });
    if (!d.ok) return;
    const parsed = parsePush(d.message);
    expect(parsed.ok && parsed.push).toMatchObject({ fromUser: 'messense', content: 'test', msgType: 'text' });
  });

  it('matches the msg_signature vectors (inbound, reply and URL check)', () => {
    expect(computeMsgSignature(token, inbound.timestamp, inbound.nonce, inbound.encrypt)).toBe(inbound.msgSignature);
    expect(computeMsgSignature(token, inbound.timestamp, inbound.nonce, outbound.encrypt)).toBe(outbound.msgSignature);
    expect(computeMsgSignature(token, urlCheck.timestamp, urlCheck.nonce, urlCheck.echostr)).toBe(urlCheck.msgSignature);
  });

  it('encrypts the reply vector byte for byte with the given random prefix (32-byte padding)', () => {
    expect(crypto.encrypt(outbound.plaintext, outbound.random)).toBe(outbound.encrypt);
    expect(Buffer.from(outbound.encrypt, 'base64').length % 32).toBe(0);
  });

  it('decrypts the encrypted URL-check echostr', () => {
    const d = crypto.decrypt(urlCheck.echostr);
    expect(d.ok).toBe(true);
    expect(d.ok && d.message).toMatch(/^\S+$/);
  });

  it('round-trips any text, Chinese and "]]>" included, and refuses a random prefix that is not 16 bytes', () => {
    for (const text of ['', 'x', '你好，代办 ]]> <xml/>', 'y'.repeat(1000)]) {
      const d = crypto.decrypt(crypto.encrypt(text, Buffer.alloc(16, 9)));
      expect(d).toEqual({ ok: true, message: text, appId, key: 'current' });
    }
    expect(() => crypto.encrypt('x', Buffer.alloc(15))).toThrow(/16/);
  });

  it('accepts a message under the previous key during a rotation, and refuses one under an unknown key', () => {
    const underOld = createMessageCrypto({ appId, encodingAesKey: otherKey }).encrypt('old key', Buffer.alloc(16, 3));
    const rotating = createMessageCrypto({ appId, encodingAesKey: key, previousEncodingAesKey: otherKey });
    expect(rotating.decrypt(underOld)).toEqual({ ok: true, message: 'old key', appId, key: 'previous' });
    // Replies use the current key only.
    expect(crypto.decrypt(rotating.encrypt('new key', Buffer.alloc(16, 3)))).toMatchObject({ ok: true, message: 'new key' });
    expect(crypto.decrypt(underOld).ok).toBe(false);
  });

  it('refuses a message whose appid trailer is another account', () => {
    const foreign = createMessageCrypto({ appId: 'wx0000000000000000', encodingAesKey: key }).encrypt('hello', Buffer.alloc(16, 5));
    expect(crypto.decrypt(foreign)).toEqual({ ok: false, reason: 'wrong_appid' });
    expect(crypto.decrypt(rawEncrypt(pad32(framed('hello', `${appId}x`))))).toEqual({ ok: false, reason: 'wrong_appid' });
  });

  it('refuses bad padding, a length past the end, and input that is not whole base64 blocks', () => {
    const good = pad32(framed('hello', appId));
    const zeroPad = Buffer.from(good);
    zeroPad[zeroPad.length - 1] = 0;
    expect(crypto.decrypt(rawEncrypt(zeroPad))).toEqual({ ok: false, reason: 'bad_padding' });
    const uneven = Buffer.from(good);
    uneven[uneven.length - 2] = (uneven[uneven.length - 2]! + 1) % 256;
    expect(crypto.decrypt(rawEncrypt(uneven))).toEqual({ ok: false, reason: 'bad_padding' });
    // Padded to 16 only (what Node's own padding would do) — the 32-byte scheme refuses it.
    const sixteen = framed('hello', appId);
    const p16 = 16 - (sixteen.length % 16);
    const padded16 = Buffer.concat([sixteen, Buffer.alloc(p16, p16)]);
    expect(padded16.length % 32).toBe(16);
    expect(crypto.decrypt(rawEncrypt(Buffer.concat([padded16, Buffer.alloc(16, 0)])))).toEqual({ ok: false, reason: 'bad_padding' });
    const longLength = framed('hello', appId);
    longLength.writeUInt32BE(10_000, 16);
    expect(crypto.decrypt(rawEncrypt(pad32(longLength)))).toEqual({ ok: false, reason: 'bad_length' });
    expect(crypto.decrypt('not base64!')).toEqual({ ok: false, reason: 'not_base64' });
    expect(crypto.decrypt(Buffer.alloc(16).toString('base64'))).toEqual({ ok: false, reason: 'bad_block_length' });
  });

  it('refuses a message that is not UTF-8', () => {
    expect(
      crypto.decrypt(rawEncrypt(pad32(Buffer.concat([framed('', appId).subarray(0, 16), Buffer.from([0, 0, 0, 2, 0xff, 0xfe]), Buffer.from(appId)])))),
    ).toEqual({
      ok: false,
      reason: 'not_utf8',
    });
  });

  it('refuses keys that are not 43 base64 characters', () => {
    expect(aesKeyOf(key)?.length).toBe(32);
    expect(aesKeyOf(`${key}=`)).toBeNull();
    expect(aesKeyOf(key.slice(1))).toBeNull();
    expect(() => createMessageCrypto({ appId, encodingAesKey: 'short' })).toThrow();
    expect(() => createMessageCrypto({ appId, encodingAesKey: key, previousEncodingAesKey: 'short' })).toThrow();
  });
});

describe('cross-check with @wecom/crypto (an independent implementation)', () => {
  it('decrypts what it encrypts and the other way round, and signs alike', () => {
    const text = '<xml><Content><![CDATA[代办 cross-check]]></Content></xml>';
    const theirs = wecom.encrypt(key, text, appId, Buffer.alloc(16, 4));
    expect(crypto.decrypt(theirs)).toEqual({ ok: true, message: text, appId, key: 'current' });
    const ours = crypto.encrypt(text, Buffer.alloc(16, 4));
    expect(ours).toBe(theirs);
    expect(wecom.decrypt(key, ours)).toMatchObject({ message: text, id: appId });
    const vector = crypto.decrypt(inbound.encrypt);
    expect(vector.ok && vector.message).toBe(wecom.decrypt(key, inbound.encrypt).message);
    expect(computeMsgSignature(token, '1700000000', 'n0nce', ours)).toBe(wecom.getSignature(token, '1700000000', 'n0nce', ours));
  });
});
