import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';

/** Photos kept on errands (schema/errand-photos.ts). */

/**
 * How long WeChat keeps an Official Account's temporary media: the photos are fetched within it, and
 * a photo sent without an open errand waits as long for the errand.
 */
export const MEDIA_LIFETIME_MS = 3 * 24 * 3_600_000;

export interface PhotoRow {
  id: number;
  errandId: number;
  channel: string;
  mediaId: string;
  url: string | null;
  receivedAt: number;
  file: string | null;
  fetchAttempts: number;
  fetchError: string | null;
}

const COLUMNS =
  'id, errand_id AS errandId, channel, media_id AS mediaId, url, received_at AS receivedAt, file, fetch_attempts AS fetchAttempts, fetch_error AS fetchError';

export function insertPhoto(
  database: Database,
  p: { errandId: number; channel: string; mediaId: string; url: string | null; file?: string | null; identityId: number; at: number },
): number {
  const row = statement<[number, string, string, string | null, string | null, number, number], { id: number }>(
    database,
    'INSERT INTO errand_photos (errand_id, channel, media_id, url, file, identity_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
  ).get(p.errandId, p.channel, p.mediaId, p.url, p.file ?? null, p.identityId, p.at);
  return row?.id ?? 0;
}

export function photosOf(database: Database, errandId: number): PhotoRow[] {
  return statement<[number], PhotoRow>(database, `SELECT ${COLUMNS} FROM errand_photos WHERE errand_id = ? ORDER BY id`).all(errandId);
}

export function photoOfErrand(database: Database, errandId: number, photoId: number): PhotoRow | undefined {
  return statement<[number, number], PhotoRow>(database, `SELECT ${COLUMNS} FROM errand_photos WHERE id = ? AND errand_id = ?`).get(photoId, errandId);
}

/** Photos of a channel still without a file, received since `since`, with attempts left; oldest first. */
export function photosToFetch(database: Database, q: { channel: string; since: number; maxAttempts: number; limit: number }): PhotoRow[] {
  return statement<[string, number, number, number], PhotoRow>(
    database,
    `SELECT ${COLUMNS} FROM errand_photos WHERE file IS NULL AND channel = ? AND received_at >= ? AND fetch_attempts < ? ORDER BY received_at LIMIT ?`,
  ).all(q.channel, q.since, q.maxAttempts, q.limit);
}

export function recordPhotoFile(database: Database, id: number, file: string): void {
  database.write(() => statement(database, 'UPDATE errand_photos SET file = ?, fetch_error = NULL WHERE id = ?').run(file, id));
}

/** A failed fetch; `giveUp` when it can never work (WeChat no longer has the media). */
export function recordPhotoFetchFailure(database: Database, id: number, error: string, giveUp: boolean, maxAttempts: number): void {
  database.write(() =>
    statement(
      database,
      'UPDATE errand_photos SET fetch_attempts = CASE WHEN ? THEN ? ELSE fetch_attempts + 1 END, fetch_error = ? WHERE id = ? AND file IS NULL',
    ).run(giveUp ? 1 : 0, maxAttempts, error.slice(0, 300), id),
  );
}

export function insertHeldPhoto(
  database: Database,
  p: { personId: string; channel: string; mediaId: string; url: string | null; file?: string | null; identityId: number; at: number },
): number {
  const row = statement<[string, string, string, string | null, string | null, number, number], { id: number }>(
    database,
    'INSERT INTO held_photos (person_id, channel, media_id, url, file, identity_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
  ).get(p.personId, p.channel, p.mediaId, p.url, p.file ?? null, p.identityId, p.at);
  return row?.id ?? 0;
}

/** Moves a person's held photos received since `since` onto an errand (older ones are dropped); returns how many were moved. */
export function attachHeldPhotos(database: Database, personId: string, errandId: number, since: number): number {
  const moved = statement<[number, string, number]>(
    database,
    `INSERT INTO errand_photos (errand_id, channel, media_id, url, file, identity_id, received_at)
     SELECT ?, channel, media_id, url, file, identity_id, received_at FROM held_photos WHERE person_id = ? AND received_at >= ? ORDER BY id`,
  ).run(errandId, personId, since).changes;
  statement<[string]>(database, 'DELETE FROM held_photos WHERE person_id = ?').run(personId);
  return moved;
}
