import { dropConversation } from '../db/conversation-repository.ts';
import type { Database } from '../db/open-database.ts';
import { followersWithoutUnionId, identitiesWithUnionId, linkIdentity, recordUnionId } from '../db/people-repository.ts';
import type { Logger } from './ports.ts';

/**
 * One person, however many WeChat apps they use: the Official Account and the mini-program of one
 * open-platform account give the same UnionID. When an identity's UnionID becomes known, every
 * identity sharing it that belongs to nobody yet is linked to the one person the others belong to —
 * so a resident who registered by chatting with the account finds their errands in the
 * mini-program without registering again, and the other way round. When the identities sharing it
 * already belong to two different people, nothing is merged: that is for an admin to look at.
 */

export type UnionJoin = { outcome: 'linked'; personId: string; linked: number } | { outcome: 'nothing' } | { outcome: 'conflict'; people: string[] };

/** Records the UnionID of an identity and joins the identities sharing it. Runs inside the caller's write transaction. */
export function joinByUnionId(database: Database, identityId: number, unionId: string, now: number): UnionJoin {
  recordUnionId(database, identityId, unionId, now);
  const sharing = identitiesWithUnionId(database, unionId);
  const people = [...new Set(sharing.flatMap((i) => (i.personId ? [i.personId] : [])))];
  if (people.length > 1) return { outcome: 'conflict', people };
  const [personId] = people;
  const strays = sharing.filter((i) => i.personId === null);
  if (!personId || !strays.length) return { outcome: 'nothing' };
  for (const stray of strays) {
    linkIdentity(database, stray.id, personId);
    // A newcomer's registration under way is moot now: their next message starts afresh, as them.
    dropConversation(database, stray.id);
  }
  return { outcome: 'linked', personId, linked: strays.length };
}

/** Asks WeChat for a follower's UnionID; null when WeChat gives none (not bound to an open platform, or no longer following). */
export type UnionIdLookup = (openId: string) => Promise<string | null>;

/** Followers asked again for a UnionID after this long without one (the account may be bound to an open platform later). */
const ASK_AGAIN_MS = 30 * 24 * 3_600_000;

/**
 * The workers' sweep: asks WeChat for the UnionID of Official Account followers not asked yet, a few
 * at a time, and joins identities. Returns how many identities were linked to a person.
 */
export async function lookUpFollowerUnionIds(deps: {
  database: Database;
  channel: string;
  lookup: UnionIdLookup;
  now: number;
  logger: Logger;
  limit?: number;
}): Promise<number> {
  const { database, logger } = deps;
  const waiting = followersWithoutUnionId(database, { channel: deps.channel, askedBefore: deps.now - ASK_AGAIN_MS, limit: deps.limit ?? 50 });
  let linked = 0;
  for (const follower of waiting) {
    let unionId: string | null;
    try {
      unionId = await deps.lookup(follower.openId);
    } catch (error) {
      // Left for the next sweep.
      logger.warn({ err: error, identity: follower.id }, 'union id: WeChat did not answer for a follower');
      continue;
    }
    const joined = database.write(() => {
      if (unionId === null) {
        recordUnionId(database, follower.id, null, deps.now);
        return { outcome: 'nothing' } as const;
      }
      return joinByUnionId(database, follower.id, unionId, deps.now);
    });
    if (joined.outcome === 'linked') {
      linked += joined.linked;
      logger.info({ personId: joined.personId, identities: joined.linked }, 'union id: identities of one person joined');
    } else if (joined.outcome === 'conflict') {
      logger.warn({ people: joined.people, identity: follower.id }, 'union id: one WeChat user is two people in our records; not merged, an admin should look');
    }
  }
  return linked;
}
