import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';

/** Subscribe-message credits per app, user and template (see schema/wechat-credits.ts). */

export type SubscribeApp = 'mini-program' | 'official-account';

export interface CreditKey {
  app: SubscribeApp;
  openId: string;
  templateId: string;
}

/** Adds `count` credits (one per accept the user gave) and returns the new total. */
export function grantSubscribeCredits(database: Database, key: CreditKey, count: number, now: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`credits to grant must be a positive integer, got ${count}`);
  const row = statement<[string, string, string, number, number], { credits: number }>(
    database,
    `INSERT INTO subscribe_credits (app, open_id, template_id, credits, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (app, open_id, template_id) DO UPDATE SET credits = credits + excluded.credits, updated_at = excluded.updated_at
     RETURNING credits`,
  ).get(key.app, key.openId, key.templateId, count, now);
  return row?.credits ?? 0;
}

/** Takes one credit if there is one: true when the caller may send that template to that user now. */
export function takeSubscribeCredit(database: Database, key: CreditKey, now: number): boolean {
  const result = statement<[number, string, string, string]>(
    database,
    'UPDATE subscribe_credits SET credits = credits - 1, updated_at = ? WHERE app = ? AND open_id = ? AND template_id = ? AND credits > 0',
  ).run(now, key.app, key.openId, key.templateId);
  return result.changes === 1;
}

/** Gives back a credit taken for a send that WeChat then refused without using it. */
export function returnSubscribeCredit(database: Database, key: CreditKey, now: number): void {
  grantSubscribeCredits(database, key, 1, now);
}

/** WeChat says the user holds no subscription for the template (43101): the credits we counted are wrong; none are left. */
export function clearSubscribeCredits(database: Database, key: CreditKey, now: number): void {
  statement<[number, string, string, string]>(
    database,
    'UPDATE subscribe_credits SET credits = 0, updated_at = ? WHERE app = ? AND open_id = ? AND template_id = ? AND credits > 0',
  ).run(now, key.app, key.openId, key.templateId);
}

/** A user's credits per template (templates with none left included). */
export function subscribeCreditsOf(database: Database, app: SubscribeApp, openId: string): { templateId: string; credits: number }[] {
  return statement<[string, string], { templateId: string; credits: number }>(
    database,
    'SELECT template_id AS templateId, credits FROM subscribe_credits WHERE app = ? AND open_id = ? ORDER BY template_id',
  ).all(app, openId);
}
