import { randomBytes } from 'node:crypto';
import type { Database } from '../db/open-database.ts';
import { statement } from '../db/statement-cache.ts';
import { dropConversation } from '../db/conversation-repository.ts';

/**
 * A user left the channel (unfollowed the Official Account): the platform's rules ask us to delete
 * what we hold about them there. Errand records must be kept, so the channel identity is anonymised
 * instead: its external id (the OpenID) is replaced everywhere by a random stand-in, it is unlinked
 * from the person, its UnionID is dropped, its conversation, subscribe credits and sending records
 * are deleted, and messages still waiting for it are given up (they could not be delivered anyway). The person and their errands stay.
 * Returns false when the identity was not known.
 */
export function forgetChannelIdentity(database: Database, channel: string, externalId: string, now: number): boolean {
  return database.write(() => {
    const identity = statement<[string, string], { id: number }>(database, 'SELECT id FROM channel_identities WHERE channel = ? AND external_id = ?').get(
      channel,
      externalId,
    );
    const standIn = `gone-${randomBytes(9).toString('hex')}`;
    statement<[string, string, string]>(
      database,
      "UPDATE outbox SET status = CASE WHEN status = 'pending' THEN 'dead' ELSE status END, last_error = CASE WHEN status = 'pending' THEN 'the user left the channel' ELSE last_error END, recipient = ? WHERE channel = ? AND recipient = ?",
    ).run(standIn, channel, externalId);
    statement<[string, string]>(database, 'DELETE FROM subscribe_credits WHERE app = ? AND open_id = ?').run(channel, externalId);
    if (!identity) return false;
    dropConversation(database, identity.id);
    statement<[number]>(database, 'DELETE FROM mini_program_phones WHERE identity_id = ?').run(identity.id);
    statement<[string]>(database, 'DELETE FROM official_account_sends WHERE open_id = ?').run(externalId);
    // The UnionID goes too; marked as asked, so nobody asks WeChat about the stand-in.
    statement<[string, number, number, number]>(
      database,
      'UPDATE channel_identities SET external_id = ?, person_id = NULL, last_seen_at = ?, last_message_at = NULL, last_event_at = NULL, union_id = NULL, union_checked_at = ? WHERE id = ?',
    ).run(standIn, now, now, identity.id);
    return true;
  });
}
