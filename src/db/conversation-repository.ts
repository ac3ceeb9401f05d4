import { CONVERSATION_SCHEMA_VERSION, type ConversationState } from '../conversation/conversation-state.ts';
import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';

/**
 * Conversation state (compare-and-set by revision) and the inbox that drops re-deliveries.
 * These run for every message, so they are plain prepared SQL (see statement-cache.ts).
 */

export interface StoredConversation {
  state: ConversationState;
  revision: number;
}

export function loadConversation(database: Database, identityId: number): StoredConversation | null {
  const row = statement<[number], { state: string; revision: number; schemaVersion: number }>(
    database,
    'SELECT state, revision, schema_version AS schemaVersion FROM conversations WHERE identity_id = ?',
  ).get(identityId);
  if (!row) return null;
  const state = JSON.parse(row.state) as ConversationState;
  if (row.schemaVersion !== CONVERSATION_SCHEMA_VERSION) {
    // An older shape: keep where the person was, but let the engine restart that flow politely.
    return { state: { ...state, flowVersion: -1 }, revision: row.revision };
  }
  return { state, revision: row.revision };
}

/** Saves if nobody saved since `revision` was read (null: the conversation is new). */
export function saveConversation(database: Database, identityId: number, state: ConversationState, revision: number | null, now: number): boolean {
  const json = JSON.stringify(state);
  if (revision === null) {
    return (
      statement(
        database,
        `INSERT INTO conversations (identity_id, flow_id, flow_version, schema_version, state, revision, updated_at)
         VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT (identity_id) DO NOTHING`,
      ).run(identityId, state.flowId, state.flowVersion, CONVERSATION_SCHEMA_VERSION, json, now).changes === 1
    );
  }
  return (
    statement(
      database,
      `UPDATE conversations SET flow_id = ?, flow_version = ?, schema_version = ?, state = ?, revision = revision + 1, updated_at = ?
       WHERE identity_id = ? AND revision = ?`,
    ).run(state.flowId, state.flowVersion, CONVERSATION_SCHEMA_VERSION, json, now, identityId, revision).changes === 1
  );
}

export function findInbox(database: Database, channel: string, messageId: string): { response: string[] | null } | undefined {
  const row = statement<[string, string], { response: string | null }>(database, 'SELECT response FROM inbox WHERE channel = ? AND message_id = ?').get(
    channel,
    messageId,
  );
  return row ? { response: row.response ? (JSON.parse(row.response) as string[]) : null } : undefined;
}

export function recordInbox(database: Database, e: { channel: string; messageId: string; identityId: number | null; response: string[]; at: number }): void {
  statement(database, 'INSERT INTO inbox (channel, message_id, identity_id, received_at, response) VALUES (?, ?, ?, ?, ?)').run(
    e.channel,
    e.messageId,
    e.identityId,
    e.at,
    JSON.stringify(e.response),
  );
}

/** Drops an identity's conversation: its next message starts afresh (after the identity was linked to a person, or forgotten). */
export function dropConversation(database: Database, identityId: number): void {
  statement<[number]>(database, 'DELETE FROM conversations WHERE identity_id = ?').run(identityId);
}
