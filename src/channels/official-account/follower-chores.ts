import { createPhotoLibrary, type PhotoLibrary } from '../../app/photo-library.ts';
import type { Logger } from '../../app/ports.ts';
import { lookUpFollowerUnionIds } from '../../app/union-links.ts';
import type { Database } from '../../db/open-database.ts';
import type { PhotoFiles } from '../../storage/photo-files.ts';
import type { AccessTokens } from '../wechat/access-token.ts';
import { createMediaDownload } from './media-download.ts';
import { OFFICIAL_ACCOUNT_CHANNEL } from './push-handling.ts';
import { createUnionIdLookup } from './user-info.ts';

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
  /** The account's token and API base; null without WECHAT_OA_APPID and WECHAT_OA_SECRET. */
  api: { tokens: AccessTokens; apiBase: string } | null;
  withMiniProgram: boolean;
  clock: () => number;
  logger: Logger;
}): FollowerChores {
  const { database, api, clock, logger } = input;
  const photos = createPhotoLibrary({ database, files: input.files, download: api ? createMediaDownload(api) : null, clock, logger });
  const unionLookup = api && input.withMiniProgram ? createUnionIdLookup(api) : null;
  let running: Promise<void> | null = null;
  const round = async () => {
    await photos.fetchWaiting();
    if (unionLookup) await lookUpFollowerUnionIds({ database, channel: OFFICIAL_ACCOUNT_CHANNEL, lookup: unionLookup, now: clock(), logger });
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
