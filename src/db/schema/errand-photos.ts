import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { errands } from './errands.ts';
import { channelIdentities } from './people.ts';

/**
 * Photos a resident sent in chat (a material, a certificate, a form), kept on their current errand
 * by the channel's media id: the agent fetches them with it (WeChat keeps temporary media for three
 * days) or opens the picture URL.
 */
export const errandPhotos = sqliteTable(
  'errand_photos',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    errandId: integer('errand_id')
      .notNull()
      .references(() => errands.id),
    channel: text('channel').notNull(),
    mediaId: text('media_id').notNull(),
    url: text('url'),
    identityId: integer('identity_id').references(() => channelIdentities.id),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [index('errand_photos_errand_idx').on(t.errandId)],
);
