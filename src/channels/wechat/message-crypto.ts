import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

/**
 * WeChat's message encryption for safe (安全模式) and compatible mode, the same scheme as WeCom's
 * callbacks. Pure: no clock, no randomness of its own (the 16 random bytes of a reply come in as a
 * parameter), no IO.
 *
 * - AES key = base64decode(EncodingAESKey + "=") (32 bytes, AES-256-CBC); IV = its first 16 bytes.
 * - PKCS#7 padding to 32-byte blocks, not AES's 16: Node's own padding is turned off.
 * - Plaintext = 16 random bytes | 4-byte big-endian message length | message | appid.
 * - msg_signature = hex(sha1(sorted [token, timestamp, nonce, Encrypt] joined)).
 */

const BLOCK = 32;
const ENCODING_AES_KEY = /^[A-Za-z0-9+/]{43}$/;

export function computeMsgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

/** The 32-byte AES key of an EncodingAESKey; null when it is not 43 base64 characters. */
export function aesKeyOf(encodingAesKey: string): Buffer | null {
  if (!ENCODING_AES_KEY.test(encodingAesKey)) return null;
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  return key.length === 32 ? key : null;
}

export type DecryptFailure = 'not_base64' | 'bad_block_length' | 'bad_padding' | 'bad_length' | 'not_utf8' | 'wrong_appid';

export type Decrypted = { ok: true; message: string; appId: string; key: 'current' | 'previous' } | { ok: false; reason: DecryptFailure };

export interface MessageCrypto {
  /** Tries the current key, then the previous one (during a key rotation). */
  decrypt(encrypt: string): Decrypted;
  /** Base64 ciphertext of `message` under the current key; `random16` are the 16 leading random bytes. */
  encrypt(message: string, random16: Uint8Array): string;
}

export interface MessageCryptoOptions {
  appId: string;
  encodingAesKey: string;
  previousEncodingAesKey?: string | undefined;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function unpad(data: Buffer): Buffer | null {
  const pad = data[data.length - 1] ?? 0;
  if (pad < 1 || pad > BLOCK || pad > data.length) return null;
  for (let i = data.length - pad; i < data.length; i++) if (data[i] !== pad) return null;
  return data.subarray(0, data.length - pad);
}

function pad(data: Buffer): Buffer {
  const amount = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(amount, amount)]);
}

function decryptWith(key: Buffer, cipherText: Buffer, appId: string): { ok: true; message: string } | { ok: false; reason: DecryptFailure } {
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = unpad(Buffer.concat([decipher.update(cipherText), decipher.final()]));
  if (!plain) return { ok: false, reason: 'bad_padding' };
  if (plain.length < 20) return { ok: false, reason: 'bad_length' };
  const length = plain.readUInt32BE(16);
  if (20 + length > plain.length) return { ok: false, reason: 'bad_length' };
  let message: string;
  let trailer: string;
  try {
    message = utf8.decode(plain.subarray(20, 20 + length));
    trailer = utf8.decode(plain.subarray(20 + length));
  } catch {
    return { ok: false, reason: 'not_utf8' };
  }
  if (trailer !== appId) return { ok: false, reason: 'wrong_appid' };
  return { ok: true, message };
}

export function createMessageCrypto(options: MessageCryptoOptions): MessageCrypto {
  const current = aesKeyOf(options.encodingAesKey);
  if (!current) throw new Error('EncodingAESKey must be 43 base64 characters');
  const previous = options.previousEncodingAesKey === undefined ? null : aesKeyOf(options.previousEncodingAesKey);
  if (options.previousEncodingAesKey !== undefined && !previous) throw new Error('the previous EncodingAESKey must be 43 base64 characters');
  const { appId } = options;

  return {
    decrypt(encrypt) {
      const text = encrypt.trim();
      if (!BASE64.test(text) || text.length % 4 !== 0) return { ok: false, reason: 'not_base64' };
      const cipherText = Buffer.from(text, 'base64');
      if (cipherText.length === 0 || cipherText.length % BLOCK !== 0) return { ok: false, reason: 'bad_block_length' };
      const first = decryptWith(current, cipherText, appId);
      if (first.ok) return { ok: true, message: first.message, appId, key: 'current' };
      if (previous) {
        const second = decryptWith(previous, cipherText, appId);
        if (second.ok) return { ok: true, message: second.message, appId, key: 'previous' };
      }
      return first;
    },

    encrypt(message, random16) {
      if (random16.length !== 16) throw new Error('encrypt needs exactly 16 random bytes');
      const body = Buffer.from(message, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(body.length, 0);
      const plain = pad(Buffer.concat([random16, length, body, Buffer.from(appId, 'utf8')]));
      const cipher = createCipheriv('aes-256-cbc', current, current.subarray(0, 16));
      cipher.setAutoPadding(false);
      return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
    },
  };
}
