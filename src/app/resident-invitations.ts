import { loadConversation, saveConversation } from '../db/conversation-repository.ts';
import type { NewOutboxMessage } from '../db/outbox-repository.ts';
import { identitiesOf, personById } from '../db/people-repository.ts';
import { buildFlowContext } from './flow-context-builder.ts';
import { renderReplies } from './render-replies.ts';
import type { AppContext } from './app-context.ts';

/**
 * Asking a resident something they did not start: rate a finished errand, confirm an entrustment an
 * agent filed. When their conversation is idle, it moves into that flow and the first question is
 * sent; when they are busy, a short note says how to answer later (e.g. reply 评价).
 */

export type InvitationEnv = Pick<AppContext, 'database' | 'directory' | 'catalog' | 'matcher' | 'templates' | 'engine'>;

export function inviteResident(
  env: InvitationEnv,
  input: { residentId: string; channel: string; flowId: string; errandId: number; laterText: string; dedupeKey: string; now: number },
): NewOutboxMessage[] {
  const { database } = env;
  const identities = identitiesOf(database, input.residentId);
  const identity = identities.find((i) => i.channel === input.channel) ?? identities[0];
  const person = personById(database, input.residentId);
  if (!identity || !person) return [];
  const stored = loadConversation(database, identity.id);
  const ctx = buildFlowContext(env, { now: input.now, identity, person });
  const invited = env.engine.invite(stored?.state ?? null, input.flowId, { errandId: input.errandId }, ctx);
  let text = input.laterText;
  if (invited && saveConversation(database, identity.id, invited.state, stored?.revision ?? null, input.now)) {
    text = renderReplies(env.templates, invited.replies) ?? input.laterText;
  }
  return [
    { channel: identity.channel, recipient: identity.externalId, room: null, text, kind: 'notification', errandId: input.errandId, dedupeKey: input.dedupeKey },
  ];
}
