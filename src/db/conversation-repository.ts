import { and, eq } from 'drizzle-orm';
import { CONVERSATION_SCHEMA_VERSION, type ConversationState } from '../conversation/conversation-state.ts';
import type { Database } from './open-database.ts';
import { conversations, inbox } from './schema.ts';

/** Conversation state (compare-and-set by revision) and the inbox that drops re-deliveries. */

export interface StoredConversation {
  state: ConversationState;
  revision: number;
}

export function loadConversation(database: Database, identityId: number): StoredConversation | null {
  const row = database.db.select().from(conversations).where(eq(conversations.identityId, identityId)).get();
  if (!row) return null;
  const state = row.state as unknown as ConversationState;
  if (row.schemaVersion !== CONVERSATION_SCHEMA_VERSION) {
    // An older shape: keep where the person was, but let the engine restart that flow politely.
    return { state: { ...state, flowVersion: -1 }, revision: row.revision };
  }
  return { state, revision: row.revision };
}

/** Saves if nobody saved since `revision` was read (null: the conversation is new). */
export function saveConversation(database: Database, identityId: number, state: ConversationState, revision: number | null, now: number): boolean {
  const values = {
    flowId: state.flowId,
    flowVersion: state.flowVersion,
    schemaVersion: CONVERSATION_SCHEMA_VERSION,
    state: state as unknown as Record<string, unknown>,
    updatedAt: now,
  };
  if (revision === null) {
    const result = database.db.insert(conversations).values({ identityId, revision: 1, ...values }).onConflictDoNothing().run();
    return result.changes === 1;
  }
  const result = database.db
    .update(conversations)
    .set({ ...values, revision: revision + 1 })
    .where(and(eq(conversations.identityId, identityId), eq(conversations.revision, revision)))
    .run();
  return result.changes === 1;
}

export function findInbox(database: Database, channel: string, messageId: string): { response: string[] | null } | undefined {
  return database.db
    .select({ response: inbox.response })
    .from(inbox)
    .where(and(eq(inbox.channel, channel), eq(inbox.messageId, messageId)))
    .get();
}

export function recordInbox(database: Database, e: { channel: string; messageId: string; identityId: number | null; response: string[]; at: number }): void {
  database.db.insert(inbox).values({ channel: e.channel, messageId: e.messageId, identityId: e.identityId, receivedAt: e.at, response: e.response }).run();
}
