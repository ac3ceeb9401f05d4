import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaDownload } from '../../src/channels/official-account/media-download.ts';
import { createPhotoFiles, isBmp, MAX_PHOTO_BYTES } from '../../src/storage/photo-files.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The photo download stops reading past the size limit (a huge answer is never held whole), and a
 * body that merely starts with "BM" is not taken for a bitmap.
 */

let server: Server;
let base: string;
let sentBytes = 0;
let aborted = false;

beforeAll(async () => {
  // A media/get that answers 200 MB of "picture" without Content-Length (chunked), as fast as it is read.
  server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'image/jpeg' });
    const chunk = Buffer.alloc(1024 * 1024, 0xff);
    let left = 200;
    const pump = () => {
      while (left > 0) {
        left -= 1;
        sentBytes += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', pump);
      }
      response.end();
    };
    request.socket.on('close', () => {
      aborted = left > 0;
      left = 0;
    });
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the Official Account photo download', () => {
  it('refuses an answer larger than a photo may be while reading it, without reading it all', async () => {
    const download = createMediaDownload({ tokens: { get: async () => 'token', invalidate: async () => undefined }, apiBase: base });
    const before = process.memoryUsage().rss;
    await expect(download('media-huge')).rejects.toThrow(`more than ${MAX_PHOTO_BYTES} bytes`);
    const grown = process.memoryUsage().rss - before;
    // It stopped soon after the limit: the server saw the connection go long before 200 MB.
    await expect.poll(() => aborted).toBe(true);
    expect(sentBytes).toBeLessThan(100 * 1024 * 1024);
    expect(grown).toBeLessThan(150 * 1024 * 1024);
  });
});

/** A 2×2, 24-bit BMP with a BITMAPINFOHEADER: 54 bytes of headers and 16 of pixels. */
function bitmap(): Buffer {
  const b = Buffer.alloc(70);
  b.write('BM', 0, 'ascii');
  b.writeUInt32LE(70, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(2, 18);
  b.writeInt32LE(2, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  return b;
}

describe('the photo store’s BMP check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'daiban-bmp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const files = createPhotoFiles(dir);

  it('keeps a real bitmap', () => {
    expect(isBmp(bitmap())).toBe(true);
    expect(files.save(bitmap())).toMatchObject({ ok: true, type: 'image/bmp' });
  });

  it('refuses a body that only starts with "BM", or whose header does not fit the bytes', () => {
    const fakes: [string, Buffer][] = [
      ['a text starting with BM', Buffer.from('BM is not a picture, it is a script: <script>alert(1)</script>')],
      ['a stated size unlike the bytes', Buffer.concat([bitmap(), Buffer.alloc(10)])],
      [
        'pixels outside the file',
        (() => {
          const b = bitmap();
          b.writeUInt32LE(500, 10);
          return b;
        })(),
      ],
      [
        'an unknown header size',
        (() => {
          const b = bitmap();
          b.writeUInt32LE(41, 14);
          return b;
        })(),
      ],
      [
        'two colour planes',
        (() => {
          const b = bitmap();
          b.writeUInt16LE(2, 26);
          return b;
        })(),
      ],
      [
        'a bit depth of 7',
        (() => {
          const b = bitmap();
          b.writeUInt16LE(7, 28);
          return b;
        })(),
      ],
      [
        'zero width',
        (() => {
          const b = bitmap();
          b.writeInt32LE(0, 18);
          return b;
        })(),
      ],
      ['too short', Buffer.from('BM')],
    ];
    for (const [what, bytes] of fakes) {
      expect(isBmp(bytes), what).toBe(false);
      expect(files.save(bytes), what).toMatchObject({ ok: false });
    }
  });
});
