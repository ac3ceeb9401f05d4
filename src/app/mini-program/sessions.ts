import { createHash, randomBytes } from 'node:crypto';
import type { CodeSession } from '../ports.ts';
import {
  deleteMiniProgramSession,
  identityById,
  insertMiniProgramSession,
  liveMiniProgramSession,
  purgeExpiredMiniProgramSessions,
} from '../../db/mini-program-repository.ts';
import { personById, touchIdentity } from '../../db/people-repository.ts';
import { joinByUnionId } from '../union-links.ts';
import type { Caller, MiniProgramEnv } from './mini-program-env.ts';
import { MINI_PROGRAM_CHANNEL } from '../ports.ts';

/**
 * Our own sessions for the mini-program: after jscode2session, a random 256-bit token goes to the
 * client; the database keeps only its SHA-256, with the OpenID and WeChat's session_key (which never
 * leaves the server) and an expiry.
 */

export { MINI_PROGRAM_CHANNEL };

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface StartedSession {
  token: string;
  expiresAt: number;
  caller: Caller;
}

export function startSession(mp: MiniProgramEnv, wechat: CodeSession, now: number, lifetimeMs: number): StartedSession {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = now + lifetimeMs;
  const caller = mp.database.write(() => {
    purgeExpiredMiniProgramSessions(mp.database, now);
    const touched = touchIdentity(mp.database, MINI_PROGRAM_CHANNEL, wechat.openId, now);
    // The same WeChat user on the Official Account (one UnionID): the same person here.
    const joined = wechat.unionId ? joinByUnionId(mp.database, touched.id, wechat.unionId, now) : null;
    if (joined?.outcome === 'conflict')
      mp.logger.warn({ identity: touched.id, people: joined.people }, 'mini-program login: one WeChat user is two people in our records; not merged');
    const identity = joined?.outcome === 'linked' ? (identityById(mp.database, touched.id) ?? touched) : touched;
    insertMiniProgramSession(mp.database, {
      tokenHash: hashToken(token),
      identityId: identity.id,
      openId: wechat.openId,
      unionId: wechat.unionId,
      sessionKey: wechat.sessionKey,
      createdAt: now,
      expiresAt,
    });
    return { identity, person: identity.personId ? (personById(mp.database, identity.personId) ?? null) : null };
  });
  return { token, expiresAt, caller };
}

export interface AuthenticatedCaller extends Caller {
  openId: string;
  tokenHash: string;
}

/** The caller behind a token, or null when it is unknown or expired. */
export function callerOfToken(mp: MiniProgramEnv, token: string, now: number): AuthenticatedCaller | null {
  const tokenHash = hashToken(token);
  const session = liveMiniProgramSession(mp.database, tokenHash, now);
  if (!session) return null;
  const identity = identityById(mp.database, session.identityId);
  if (!identity) return null;
  return { identity, person: identity.personId ? (personById(mp.database, identity.personId) ?? null) : null, openId: session.openId, tokenHash };
}

export function endSession(mp: MiniProgramEnv, tokenHash: string): void {
  deleteMiniProgramSession(mp.database, tokenHash);
}
