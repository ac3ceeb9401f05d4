import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Photos residents send, kept as files: WeChat keeps temporary media for three days only, and a
 * personal-WeChat picture has no id that outlives the session. A file is named by the SHA-256 of its
 * bytes (the same picture twice is one file) and its type, which is read from the bytes, never from
 * a name the sender chose; anything that is not a JPEG, PNG, GIF, WebP or BMP image, or is larger
 * than the limit, is refused. Written to a temporary name and renamed, so a crash never leaves half
 * a picture under a real name.
 */

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

const TYPES = [
  { ext: 'jpg', type: 'image/jpeg', is: (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { ext: 'png', type: 'image/png', is: (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { ext: 'gif', type: 'image/gif', is: (b: Uint8Array) => ascii(b, 0, 4) === 'GIF8' },
  { ext: 'webp', type: 'image/webp', is: (b: Uint8Array) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP' },
  { ext: 'bmp', type: 'image/bmp', is: (b: Uint8Array) => isBmp(b) },
] as const;

/** The DIB header sizes Windows and OS/2 bitmaps use (BITMAPCOREHEADER … BITMAPV5HEADER). */
const DIB_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);
const BMP_BITS = new Set([1, 2, 4, 8, 16, 24, 32]);

/**
 * A real BMP header, not just "BM": the file size it states matches the bytes, the pixel data starts
 * inside the file after the headers, a known DIB header size, one colour plane, a known bit depth and
 * a non-zero size.
 */
export function isBmp(b: Uint8Array): boolean {
  if (b.length < 26 || ascii(b, 0, 2) !== 'BM') return false;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const fileSize = view.getUint32(2, true);
  const pixelOffset = view.getUint32(10, true);
  const dibSize = view.getUint32(14, true);
  if (fileSize !== b.length || !DIB_HEADER_SIZES.has(dibSize) || pixelOffset < 14 + dibSize || pixelOffset >= b.length) return false;
  if (dibSize === 12) {
    const [width, height, planes, bits] = [view.getUint16(18, true), view.getUint16(20, true), view.getUint16(22, true), view.getUint16(24, true)];
    return width > 0 && height > 0 && planes === 1 && BMP_BITS.has(bits);
  }
  if (b.length < 30) return false;
  const [width, height, planes, bits] = [view.getInt32(18, true), view.getInt32(22, true), view.getUint16(26, true), view.getUint16(28, true)];
  return width > 0 && height !== 0 && planes === 1 && BMP_BITS.has(bits);
}

const FILE_NAME = /^[0-9a-f]{64}\.(jpg|png|gif|webp|bmp)$/;

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

export type SavedPhoto = { ok: true; file: string; type: string } | { ok: false; reason: string };

export interface PhotoFiles {
  /** Keeps the picture; `file` is its name in the store. */
  save(bytes: Uint8Array): SavedPhoto;
  /** A kept picture by its name; null when the name is not one of ours or the file is gone. */
  read(file: string): { bytes: Buffer; type: string } | null;
}

export function createPhotoFiles(dir: string, maxBytes = MAX_PHOTO_BYTES): PhotoFiles {
  return {
    save(bytes) {
      if (bytes.length === 0) return { ok: false, reason: 'the picture is empty' };
      if (bytes.length > maxBytes) return { ok: false, reason: `the picture is larger than ${maxBytes} bytes` };
      const kind = TYPES.find((t) => t.is(bytes));
      if (!kind) return { ok: false, reason: 'not a JPEG, PNG, GIF, WebP or BMP picture' };
      const file = `${createHash('sha256').update(bytes).digest('hex')}.${kind.ext}`;
      const path = join(dir, file);
      if (!existsSync(path)) {
        mkdirSync(dir, { recursive: true });
        const temporary = join(dir, `.${file}.${randomBytes(6).toString('hex')}.tmp`);
        writeFileSync(temporary, bytes);
        renameSync(temporary, path);
      }
      return { ok: true, file, type: kind.type };
    },
    read(file) {
      if (!FILE_NAME.test(file)) return null;
      const kind = TYPES.find((t) => file.endsWith(`.${t.ext}`));
      try {
        return { bytes: readFileSync(join(dir, file)), type: kind?.type ?? 'application/octet-stream' };
      } catch {
        return null;
      }
    },
  };
}
