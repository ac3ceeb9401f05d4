import type { Database } from '../db/open-database.ts';
import type { PhotoFiles } from '../storage/photo-files.ts';
import { createPhotoLibrary, type PhotoLibrary, type PhotoLibraryDeps } from './photo-library.ts';
import type { Logger } from './ports.ts';
import { lookUpFollowerUnionIds, type UnionIdLookup } from './union-links.ts';

/**
 * What the workers do for Official Account followers besides sending, at every sweep, one round at
 * a time: fetch the photos they sent (WeChat keeps them three days) and, when a mini-program runs
 * beside the account, ask for their UnionIDs so that one person's two apps are linked. Also builds
 * the photo library the admin API shows photos from.
 */

export interface FollowerChores {
  photos: PhotoLibrary;
  /** One round of chores; a call while one runs waits for it. Never rejects (failures are logged). */
  run(): Promise<void>;
}

export function createFollowerChores(input: {
  database: Database;
  files: PhotoFiles;
  /** The followers' channel ('official-account'). */
  channel: string;
  /** Fetches a photo from the platform; null without the account's AppID and AppSecret. */
  download: PhotoLibraryDeps['download'];
  /** Asks the platform for a follower's UnionID; null unless a mini-program runs beside the account. */
  unionLookup: UnionIdLookup | null;
  clock: () => number;
  logger: Logger;
}): FollowerChores {
  const { database, unionLookup, clock, logger } = input;
  const photos = createPhotoLibrary({ database, files: input.files, download: input.download, clock, logger });
  let running: Promise<void> | null = null;
  const round = async () => {
    await photos.fetchWaiting();
    if (unionLookup) await lookUpFollowerUnionIds({ database, channel: input.channel, lookup: unionLookup, now: clock(), logger });
  };
  return {
    photos,
    run() {
      running ??= round()
        .catch((error: unknown) => logger.warn({ err: error }, 'photo or UnionID sweep failed; will try again'))
        .finally(() => {
          running = null;
        });
      return running;
    },
  };
}
