import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';

/** Photos kept on errands (schema/errand-photos.ts). */

export interface PhotoRow {
  id: number;
  errandId: number;
  channel: string;
  mediaId: string;
  url: string | null;
  receivedAt: number;
}

export function insertPhoto(database: Database, p: { errandId: number; channel: string; mediaId: string; url: string | null; identityId: number; at: number }): number {
  const row = statement<[number, string, string, string | null, number, number], { id: number }>(
    database,
    'INSERT INTO errand_photos (errand_id, channel, media_id, url, identity_id, received_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
  ).get(p.errandId, p.channel, p.mediaId, p.url, p.identityId, p.at);
  return row?.id ?? 0;
}

export function photosOf(database: Database, errandId: number): PhotoRow[] {
  return statement<[number], PhotoRow>(
    database,
    'SELECT id, errand_id AS errandId, channel, media_id AS mediaId, url, received_at AS receivedAt FROM errand_photos WHERE errand_id = ? ORDER BY id',
  ).all(errandId);
}
