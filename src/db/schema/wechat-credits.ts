import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Subscribe-message credits: each time a user accepts a subscribe template (in the mini-program, or
 * on an Official Account page or popup), WeChat allows one more notification of that template to
 * that user. Kept per app (its OpenIDs are its own), user and template; a send takes one.
 */
export const subscribeCredits = sqliteTable(
  'subscribe_credits',
  {
    /** 'mini-program' or 'official-account': whose OpenID this is. */
    app: text('app').notNull(),
    openId: text('open_id').notNull(),
    templateId: text('template_id').notNull(),
    credits: integer('credits').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.app, t.openId, t.templateId] })],
);
