import { errandById } from '../db/errand-queries.ts';
import { appendEvent, openDeadlines, saveDeadlines, updateErrandStatus, type ErrandRow } from '../db/errand-repository.ts';
import { planDeadlines } from '../domain/deadline-clock.ts';
import { transition, type ErrandEvent, type ErrandStatus } from '../domain/errand-lifecycle.ts';
import type { ActorRole } from '../domain/roles.ts';
import { AppError } from '../errors.ts';
import { deadlineDays } from './deadline-policy.ts';
import type { ErrandEnv } from './file-errand.ts';

/**
 * Moves an existing errand through the lifecycle table: the transition, the conditional update
 * (a concurrent move makes it fail, never both win), the history event, and the clocks.
 * Scope checks (whose errand, which village) are the caller's. Runs inside the caller's transaction.
 */

export interface MoveInput {
  errandId: number;
  event: ErrandEvent;
  actor: { personId: string | null; role: ActorRole };
  reason?: string | null;
  data?: Record<string, unknown>;
  agentId?: string | null;
  now: number;
}

export interface Moved {
  before: ErrandRow;
  status: ErrandStatus;
  version: number;
}

export function moveErrand(env: ErrandEnv, input: MoveInput): Moved {
  const { database } = env;
  const errand = errandById(database, input.errandId);
  if (!errand) throw new AppError('errand_not_found');
  const result = transition(
    { direction: errand.direction, status: errand.status as ErrandStatus, suspendedFrom: errand.suspendedFrom as ErrandStatus | null },
    input.event,
    input.actor.role,
    input.reason,
  );
  if (!result.ok) throw new AppError('not_allowed', `${input.event} refused: ${result.refusal.kind}`, result.refusal);
  const { to, suspendedFrom, deadlines } = result.transition;
  const closing = to === 'closed' || to === 'withdrawn' || to === 'refused';
  const version = updateErrandStatus(database, errand, {
    status: to,
    suspendedFrom,
    ...(input.agentId !== undefined ? { agentId: input.agentId } : {}),
    ...(closing ? { closedAt: input.now } : {}),
    now: input.now,
  });
  appendEvent(database, {
    errandId: errand.id,
    version,
    type: input.event,
    fromStatus: errand.status as ErrandStatus,
    toStatus: to,
    actorPersonId: input.actor.personId,
    actorRole: input.actor.role,
    at: input.now,
    reason: input.reason ?? null,
    data: input.data ?? null,
  });
  const calendar = env.calendars.forTownship(errand.townshipCode);
  const plan = planDeadlines(openDeadlines(database, errand.id), deadlines, { now: input.now, calendar }, deadlineDays(env.deadlines, env.catalog.get(errand.itemId)));
  saveDeadlines(database, errand.id, plan);
  return { before: errand, status: to, version };
}
