import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPhotoFiles } from '../../src/storage/photo-files.ts';

/** The photo store on a real directory: types read from the bytes, one file per picture, names that cannot escape. */

const dir = mkdtempSync(join(tmpdir(), 'daiban-photos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x10, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);

describe('the photo store', () => {
  it('keeps pictures under the hash of their bytes, typed by their bytes, once however often they come', () => {
    const files = createPhotoFiles(join(dir, 'a'));
    const jpeg = files.save(JPEG);
    expect(jpeg).toMatchObject({ ok: true, type: 'image/jpeg', file: expect.stringMatching(/^[0-9a-f]{64}\.jpg$/) as string });
    expect(files.save(JPEG)).toEqual(jpeg);
    expect(files.save(PNG)).toMatchObject({ ok: true, type: 'image/png', file: expect.stringMatching(/\.png$/) as string });
    expect(files.save(WEBP)).toMatchObject({ ok: true, type: 'image/webp' });
    // Two pictures and a WebP; no temporary files left behind.
    expect(readdirSync(join(dir, 'a')).sort()).toHaveLength(3);
    const read = jpeg.ok ? files.read(jpeg.file) : null;
    expect(read?.type).toBe('image/jpeg');
    expect(read?.bytes.equals(JPEG)).toBe(true);
  });

  it('refuses what is not a picture, is empty, or is over the limit', () => {
    const files = createPhotoFiles(join(dir, 'b'), 64);
    expect(files.save(Buffer.from('<html><script>alert(1)</script></html>'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not a JPEG') as string,
    });
    expect(files.save(Buffer.alloc(0))).toMatchObject({ ok: false, reason: 'the picture is empty' });
    expect(files.save(Buffer.concat([JPEG, Buffer.alloc(100)]))).toMatchObject({ ok: false, reason: expect.stringContaining('larger than 64') as string });
    expect(existsSync(join(dir, 'b'))).toBe(false);
  });

  it('reads only names of its own making, so no path can reach outside its directory', () => {
    const files = createPhotoFiles(join(dir, 'c'));
    writeFileSync(join(dir, 'secret.txt'), 'not for you');
    for (const name of ['../secret.txt', '..%2fsecret.txt', '/etc/passwd', `${'a'.repeat(64)}.jpg/../../secret.txt`, `${'a'.repeat(64)}.exe`])
      expect(files.read(name)).toBeNull();
    // A well-formed name whose file does not exist.
    expect(files.read(`${'a'.repeat(64)}.jpg`)).toBeNull();
  });
});
