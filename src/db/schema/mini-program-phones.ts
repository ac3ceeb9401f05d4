import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { channelIdentities } from './people.ts';

/**
 * A phone number WeChat verified for a mini-program user (getuserphonenumber) who is not yet linked
 * to a person: registration then uses it instead of asking. Deleted when the identity registers or is
 * linked, and when the user leaves.
 */
export const miniProgramPhones = sqliteTable('mini_program_phones', {
  identityId: integer('identity_id')
    .primaryKey()
    .references(() => channelIdentities.id),
  /** Mainland number without the country code, e.g. 13900000013. */
  phone: text('phone').notNull(),
  verifiedAt: integer('verified_at').notNull(),
});
