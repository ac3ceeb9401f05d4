import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPhotoLibrary, type PhotoLibraryDeps } from '../../src/app/photo-library.ts';
import { WeChatApiError } from '../../src/channels/wechat/wechat-api.ts';
import { insertPhoto } from '../../src/db/photo-repository.ts';
import { createPhotoFiles } from '../../src/storage/photo-files.ts';
import { fileErrandByChat, homesteadAnswers } from '../support/intake.ts';
import { openUseCaseApp, type UseCaseApp } from '../support/use-case-app.ts';

/**
 * The photo library on the real database, with a download of our own making in place of WeChat's
 * media API: a photo opened before the sweep is fetched at once, passing failures are tried again
 * up to five times, and WeChat's "no such media" or the three days gone end the trying.
 */

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x00, 0xff, 0xd9]);
const DAY = 24 * 3_600_000;

let app: UseCaseApp;
let receipt: string;
let errandId: number;
const dir = mkdtempSync(join(tmpdir(), 'daiban-photo-lib-'));
beforeAll(async () => {
  app = openUseCaseApp();
  receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
  errandId = app.database.sqlite.prepare<[string], { id: number }>('SELECT id FROM errands WHERE receipt_no = ?').get(receipt)!.id;
});
afterAll(() => {
  app.close();
  rmSync(dir, { recursive: true, force: true });
});

let media = 0;
/** A photo of the errand as the Official Account keeps it (media id only), received `ageMs` ago. */
function photo(ageMs = 0): { id: number; mediaId: string } {
  const mediaId = `media-${++media}`;
  const database = app.database;
  const identityId = database.sqlite.prepare<[], { id: number }>('SELECT id FROM channel_identities LIMIT 1').get()!.id;
  const id = database.write(() => insertPhoto(database, { errandId, channel: 'official-account', mediaId, url: null, identityId, at: app.clock.now - ageMs }));
  return { id, mediaId };
}

function library(download: PhotoLibraryDeps['download']) {
  const calls: string[] = [];
  const counted = download ? (mediaId: string) => (calls.push(mediaId), download(mediaId)) : null;
  const lib = createPhotoLibrary({
    database: app.database,
    files: createPhotoFiles(dir),
    download: counted,
    clock: () => app.clock.now,
    logger: pino({ level: 'silent' }),
  });
  return { lib, calls };
}

describe('the photo library', () => {
  it('fetches a photo opened before the sweep at once, and keeps it', async () => {
    const { lib, calls } = library(async () => JPEG);
    const p = photo();
    const shown = await lib.content(receipt, p.id);
    expect(shown).toMatchObject({ kind: 'photo', type: 'image/jpeg' });
    expect(shown?.kind === 'photo' && shown.bytes.equals(JPEG)).toBe(true);
    expect(await lib.content(receipt, p.id)).toMatchObject({ kind: 'photo' });
    expect(calls).toEqual([p.mediaId]);
    expect(lib.list(receipt)?.find((l) => l.id === p.id)).toMatchObject({ stored: true, problem: null });
  });

  it('tries a passing failure again on each sweep, five times in all, then says why', async () => {
    const { lib, calls } = library(async () => {
      throw new Error('WeChat /cgi-bin/media/get unreachable: ECONNRESET');
    });
    const p = photo();
    for (let sweep = 0; sweep < 7; sweep++) await lib.fetchWaiting();
    expect(calls.filter((m) => m === p.mediaId)).toHaveLength(5);
    expect(lib.list(receipt)?.find((l) => l.id === p.id)).toMatchObject({ stored: false, problem: expect.stringContaining('ECONNRESET') as string });
    expect(await lib.content(receipt, p.id)).toMatchObject({ kind: 'missing', reason: expect.stringContaining('ECONNRESET') as string });
  });

  it("gives up at once on WeChat's 40007 and never asks for a photo older than three days", async () => {
    const { lib, calls } = library(async () => {
      throw new WeChatApiError(40007, 'invalid media_id', '/cgi-bin/media/get');
    });
    const expired = photo();
    const old = photo(3 * DAY + 60_000);
    await lib.fetchWaiting();
    await lib.fetchWaiting();
    expect(calls).toEqual([expired.mediaId]);
    expect(await lib.content(receipt, old.id)).toMatchObject({ kind: 'missing', reason: expect.stringContaining('three days') as string });
    expect(calls).toEqual([expired.mediaId]);
  });

  it('refuses what WeChat answers that is not a picture, and says when the account cannot call WeChat', async () => {
    const html = library(async () => Buffer.from('<html>login</html>'));
    const p = photo();
    expect(await html.lib.content(receipt, p.id)).toMatchObject({ kind: 'missing', reason: expect.stringContaining('not a JPEG') as string });
    const none = library(null);
    const q = photo();
    expect(await none.lib.fetchWaiting()).toBe(0);
    expect(await none.lib.content(receipt, q.id)).toMatchObject({ kind: 'missing', reason: expect.stringContaining('WECHAT_OA_SECRET') as string });
    expect(await none.lib.content(receipt, 999_999)).toBeNull();
    expect(none.lib.list('DB000000000')).toBeNull();
  });
});

describe('photos sent before the errand', () => {
  const photoFrom = (senderId: string, mediaId: string) =>
    app.inbound.handle({
      channel: 'simulator',
      senderId,
      roomId: null,
      text: '',
      messageId: `held-${mediaId}`,
      mentionsBot: false,
      receivedAt: app.clock.now,
      photo: { mediaId, url: null },
    });

  it('are held three days and go with the next errand the resident files; older ones are dropped', async () => {
    expect(photoFrom('wang-xiaojun', 'm-stale').replies[0]?.text).toMatch(/先替您留着/);
    app.clock.now += 3 * DAY + 3_600_000;
    photoFrom('wang-xiaojun', 'm-fresh');
    const filed = await fileErrandByChat(app, 'wang-xiaojun', '宅基地建房', homesteadAnswers);
    const id = app.database.sqlite.prepare<[string], { id: number }>('SELECT id FROM errands WHERE receipt_no = ?').get(filed)!.id;
    const kept = app.database.sqlite.prepare<[number], { mediaId: string }>('SELECT media_id AS mediaId FROM errand_photos WHERE errand_id = ?').all(id);
    expect(kept.map((k) => k.mediaId)).toEqual(['m-fresh']);
    expect(app.database.sqlite.prepare("SELECT count(*) AS n FROM held_photos WHERE person_id = 'wang'").get()).toEqual({ n: 0 });
  });

  it('are not held for someone who has not registered', () => {
    expect(photoFrom('stranger-9', 'm-anon').replies[0]?.text).toMatch(/登记/);
    expect(app.database.sqlite.prepare('SELECT count(*) AS n FROM held_photos').get()).toEqual({ n: 0 });
  });
});
