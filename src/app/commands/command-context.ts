import type { NewOutboxMessage } from '../../db/outbox-repository.ts';
import type { RoomEntry, StaffMember } from '../directory.ts';
import type { ErrandEnv } from '../file-errand.ts';
import type { RoomScope } from './room-scope.ts';
import type { AppContext } from '../app-context.ts';

/** What a chat command runs with, and what it gives back. */

export type CommandEnv = ErrandEnv & Pick<AppContext, 'matcher' | 'engine' | 'newPersonId' | 'botName'>;

export interface CommandTurn {
  actor: StaffMember;
  channel: string;
  /** The room the command was given in, or null in a private chat. */
  room: RoomEntry | null;
  /** In a group: what the group covers (set by runCommand; the actor's grants are narrowed to it). */
  scope?: RoomScope;
  now: number;
}

export interface CommandResult {
  /** Answers to the speaker, where they spoke (the room or the private chat). */
  replies: string[];
  /** Notices to others (residents, rooms, staff), delivered later through the outbox. */
  outbox: NewOutboxMessage[];
}

export const reply = (...replies: string[]): CommandResult => ({ replies, outbox: [] });

/** A private message to the speaker (e.g. details that must not go to a group). */
export function toSpeaker(turn: CommandTurn, text: string, key: string, errandId: number | null = null): NewOutboxMessage[] {
  const identity = turn.actor.identities.find((i) => i.channel === turn.channel) ?? turn.actor.identities[0];
  if (!identity) return [];
  return [{ channel: identity.channel, recipient: identity.externalId, room: null, text, kind: 'notification', errandId, dedupeKey: key }];
}
