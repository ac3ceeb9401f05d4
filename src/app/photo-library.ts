import { errandByReceipt } from '../db/errand-queries.ts';
import type { Database } from '../db/open-database.ts';
import { MEDIA_LIFETIME_MS, photoOfErrand, photosOf, photosToFetch, recordPhotoFetchFailure, recordPhotoFile, type PhotoRow } from '../db/photo-repository.ts';
import type { PhotoFiles } from '../storage/photo-files.ts';
import type { Logger } from './ports.ts';

/**
 * The photos kept on errands, for the people who look at them: each errand's list, and each
 * picture's bytes. An Official Account photo is fetched from WeChat (which keeps it three days) by
 * the workers' sweep soon after it arrives, and at once when someone opens it before that; a
 * personal-WeChat photo arrives as a file already.
 */

export const OFFICIAL_ACCOUNT_MEDIA_CHANNEL = 'official-account';
const MAX_FETCH_ATTEMPTS = 5;
/** WeChat: invalid or expired media id. */
const NO_SUCH_MEDIA = 40007;

export interface PhotoLibraryDeps {
  database: Database;
  files: PhotoFiles;
  /** Downloads an Official Account temporary media file (null: the account cannot call WeChat, no APPID/SECRET). */
  download: ((mediaId: string) => Promise<Uint8Array>) | null;
  clock: () => number;
  logger: Logger;
}

export interface PhotoListing {
  id: number;
  channel: string;
  receivedAt: string;
  /** Kept as a file of ours: it can be shown whatever WeChat still has. */
  stored: boolean;
  /** Why it cannot be shown (given up fetching it), when so. */
  problem: string | null;
}

export type PhotoContent = { kind: 'photo'; bytes: Buffer; type: string } | { kind: 'missing'; reason: string };

export interface PhotoLibrary {
  list(receiptNo: string): PhotoListing[] | null;
  content(receiptNo: string, photoId: number): Promise<PhotoContent | null>;
  /** Fetches the Official Account photos not stored yet (the sweep); returns how many it stored. */
  fetchWaiting(limit?: number): Promise<number>;
}

export function createPhotoLibrary(deps: PhotoLibraryDeps): PhotoLibrary {
  const { database, files, logger } = deps;

  /** Fetches one photo from WeChat and keeps it; the reason when that fails. */
  const fetchOne = async (photo: PhotoRow): Promise<{ ok: true; file: string } | { ok: false; reason: string }> => {
    if (!deps.download) return { ok: false, reason: 'the Official Account cannot call WeChat (WECHAT_OA_APPID and WECHAT_OA_SECRET are not set)' };
    let reason: string;
    let giveUp = false;
    try {
      const saved = files.save(await deps.download(photo.mediaId));
      if (saved.ok) {
        recordPhotoFile(database, photo.id, saved.file);
        return { ok: true, file: saved.file };
      }
      reason = `WeChat's file was refused: ${saved.reason}`;
      giveUp = true;
    } catch (error) {
      giveUp = (error as { errcode?: unknown }).errcode === NO_SUCH_MEDIA;
      reason = giveUp ? 'WeChat no longer has this photo (temporary media are kept three days)' : error instanceof Error ? error.message : String(error);
    }
    recordPhotoFetchFailure(database, photo.id, reason, giveUp, MAX_FETCH_ATTEMPTS);
    logger.warn({ photo: photo.id, errand: photo.errandId, giveUp, reason }, 'photo: could not be fetched from WeChat');
    return { ok: false, reason };
  };

  let fetching: Promise<number> | null = null;
  const errandId = (receiptNo: string) => errandByReceipt(database, receiptNo)?.errand.id ?? null;

  return {
    list(receiptNo) {
      const id = errandId(receiptNo);
      if (id === null) return null;
      return photosOf(database, id).map((p) => ({
        id: p.id,
        channel: p.channel,
        receivedAt: new Date(p.receivedAt).toISOString(),
        stored: p.file !== null,
        problem: p.file === null && p.fetchAttempts >= MAX_FETCH_ATTEMPTS ? p.fetchError : null,
      }));
    },
    async content(receiptNo, photoId) {
      const id = errandId(receiptNo);
      const photo = id === null ? undefined : photoOfErrand(database, id, photoId);
      if (!photo) return null;
      let file = photo.file;
      if (file === null) {
        if (photo.channel !== OFFICIAL_ACCOUNT_MEDIA_CHANNEL) return { kind: 'missing', reason: 'this photo was not kept as a file' };
        const givenUp = photo.fetchAttempts >= MAX_FETCH_ATTEMPTS;
        if (givenUp || deps.clock() - photo.receivedAt > MEDIA_LIFETIME_MS)
          return { kind: 'missing', reason: photo.fetchError ?? 'WeChat no longer has this photo (temporary media are kept three days)' };
        const fetched = await fetchOne(photo);
        if (!fetched.ok) return { kind: 'missing', reason: fetched.reason };
        file = fetched.file;
      }
      const read = files.read(file);
      return read ? { kind: 'photo', bytes: read.bytes, type: read.type } : { kind: 'missing', reason: 'the photo file is gone from PHOTOS_DIR' };
    },
    fetchWaiting(limit = 20) {
      if (!deps.download) return Promise.resolve(0);
      // One round at a time: a sweep that finds one running waits for it.
      fetching ??= (async () => {
        const waiting = photosToFetch(database, {
          channel: OFFICIAL_ACCOUNT_MEDIA_CHANNEL,
          since: deps.clock() - MEDIA_LIFETIME_MS,
          maxAttempts: MAX_FETCH_ATTEMPTS,
          limit,
        });
        let stored = 0;
        for (const photo of waiting) if ((await fetchOne(photo)).ok) stored++;
        return stored;
      })().finally(() => {
        fetching = null;
      });
      return fetching;
    },
  };
}
