import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { errands } from './errands.ts';
import { channelIdentities, people } from './people.ts';

/**
 * Photos a resident sent in chat (a material, a certificate, a form), kept on their current errand
 * by the channel's media id, and as a file of our own (`file`, in PHOTOS_DIR) once fetched: WeChat
 * keeps an Official Account's temporary media for three days only, so a worker fetches them soon
 * (`fetchAttempts`, `fetchError`); a personal-WeChat picture is saved as it arrives.
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
    /** The picture's file name in the photo store; null until it is fetched. */
    file: text('file'),
    fetchAttempts: integer('fetch_attempts').notNull().default(0),
    fetchError: text('fetch_error'),
  },
  (t) => [
    index('errand_photos_errand_idx').on(t.errandId),
    index('errand_photos_unfetched_idx')
      .on(t.receivedAt)
      .where(sql`file IS NULL`),
  ],
);

/**
 * Photos a registered resident sent while no errand of theirs was open (people often send the
 * picture first and say what it is for afterwards): held for three days, then moved onto the next
 * errand they file (any channel), or dropped.
 */
export const heldPhotos = sqliteTable(
  'held_photos',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    channel: text('channel').notNull(),
    mediaId: text('media_id').notNull(),
    url: text('url'),
    file: text('file'),
    identityId: integer('identity_id').references(() => channelIdentities.id),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [index('held_photos_person_idx').on(t.personId, t.receivedAt)],
);
