import type { Database } from '../db/open-database.ts';
import { grantSubscribeCredits, type SubscribeApp } from '../db/subscribe-credits-repository.ts';

/** A user accepted subscribe-message templates in the platform's pop-up: one credit for each. */
export function acceptSubscriptions(database: Database, app: SubscribeApp, openId: string, templateIds: readonly string[], now: number): void {
  database.write(() => {
    for (const templateId of templateIds) grantSubscribeCredits(database, { app, openId, templateId }, 1, now);
  });
}
