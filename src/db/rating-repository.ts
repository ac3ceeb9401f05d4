import type { RatingLevel } from '../domain/rating-scale.ts';
import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';

/** 好差评 ratings (level 5 非常满意 … 1 非常不满意) and the rectification cases bad reviews open. */

export type ReasonKind = 'work_error' | 'slow' | 'attitude' | 'fee' | 'other';
export type RatingRoundKind = 'first' | 'rectification';

export function insertRating(
  database: Database,
  r: { errandId: number; personId: string; round: RatingRoundKind; level: RatingLevel; reasonKind: ReasonKind | null; reason: string | null; at: number },
): number {
  return statement<unknown[], { id: number }>(
    database,
    'INSERT INTO ratings (errand_id, person_id, round, level, reason_kind, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
  ).get(r.errandId, r.personId, r.round, r.level, r.reasonKind, r.reason, r.at)!.id;
}

export interface RatingRow {
  round: RatingRoundKind;
  level: RatingLevel;
  reasonKind: ReasonKind | null;
  reason: string | null;
  createdAt: number;
}

/** An errand's ratings, oldest first (who rated is left out: it is always the requester). */
export function ratingsOf(database: Database, errandId: number): RatingRow[] {
  return statement<[number], RatingRow>(
    database,
    'SELECT round, level, reason_kind AS reasonKind, reason, created_at AS createdAt FROM ratings WHERE errand_id = ? ORDER BY created_at, id',
  ).all(errandId);
}

export function hasRating(database: Database, errandId: number, round: RatingRoundKind): boolean {
  return (
    statement<[number, string], { n: number }>(database, 'SELECT count(*) AS n FROM ratings WHERE errand_id = ? AND round = ?').get(errandId, round)!.n > 0
  );
}

export interface RectificationRow {
  id: number;
  errandId: number;
  ratingId: number;
  status: 'open' | 'rectified' | 'closed';
  dueDate: string;
  dueAt: number;
  note: string | null;
}

export function openRectification(database: Database, c: { errandId: number; ratingId: number; dueDate: string; dueAt: number; at: number }): number {
  return statement<unknown[], { id: number }>(
    database,
    "INSERT INTO rectification_cases (errand_id, rating_id, status, due_date, due_at, created_at) VALUES (?, ?, 'open', ?, ?, ?) RETURNING id",
  ).get(c.errandId, c.ratingId, c.dueDate, c.dueAt, c.at)!.id;
}

export function openRectificationOf(database: Database, errandId: number): RectificationRow | undefined {
  return statement<[number], RectificationRow>(
    database,
    "SELECT id, errand_id AS errandId, rating_id AS ratingId, status, due_date AS dueDate, due_at AS dueAt, note FROM rectification_cases WHERE errand_id = ? AND status = 'open' ORDER BY id DESC",
  ).get(errandId);
}

export function resolveRectification(database: Database, id: number, by: string, note: string, at: number): boolean {
  return (
    statement(database, "UPDATE rectification_cases SET status = 'rectified', note = ?, resolved_by = ?, resolved_at = ? WHERE id = ? AND status = 'open'").run(
      note,
      by,
      at,
      id,
    ).changes === 1
  );
}

/** After the resident rated the fix. */
export function closeRectification(database: Database, errandId: number): void {
  statement(database, "UPDATE rectification_cases SET status = 'closed' WHERE errand_id = ? AND status = 'rectified'").run(errandId);
}

export function awaitingFixRating(database: Database, errandId: number): boolean {
  return (
    statement<[number], { n: number }>(database, "SELECT count(*) AS n FROM rectification_cases WHERE errand_id = ? AND status = 'rectified'").get(errandId)!
      .n > 0
  );
}
