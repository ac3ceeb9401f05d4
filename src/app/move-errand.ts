import { appendEvent, findErrandById, openDeadlines, saveDeadlines, updateErrandStatus, type ErrandPatch, type ErrandRow } from '../db/errand-repository.ts';
import { planDeadlines, type Deadline } from '../domain/deadline-clock.ts';
import { transition, type DeadlineKind, type ErrandEvent, type ErrandStatus, type TransitionRefusal } from '../domain/errand-lifecycle.ts';
import type { ActorRole } from '../domain/roles.ts';
import { AppError } from '../errors.ts';
import { deadlineDays } from './deadline-policy.ts';
import type { ErrandEnv } from './file-errand.ts';

/**
 * Moves an existing errand through the lifecycle table: the transition, the conditional update
 * (of two concurrent moves one wins, the other fails), the history event, and the clocks.
 * Scope checks (whose errand, which village) are the caller's. Runs inside the caller's transaction.
 */

export interface MoveInput {
  errandId: number;
  event: ErrandEvent;
  actor: { personId: string | null; role: ActorRole };
  reason?: string | null;
  data?: Record<string, unknown>;
  /** Other fields to change with the move (the agent, the centre's result…). */
  patch?: Omit<ErrandPatch, 'status' | 'suspendedFrom' | 'now'>;
  /** Working days for clocks this move starts, where not the default (e.g. the centre's completion limit). */
  days?: Partial<Record<DeadlineKind, number>>;
  now: number;
}

export interface Moved {
  before: ErrandRow;
  after: ErrandRow;
  /** Clocks the move started, with their due dates. */
  started: Deadline[];
  /** The clock that runs next after the move (started or resumed), if any. */
  next: Deadline | null;
}

/** Thrown when the lifecycle refuses a move; carries the table's reason. */
export class MoveRefused extends AppError {
  constructor(readonly refusal: TransitionRefusal) {
    super('not_allowed', `move refused: ${refusal.kind}`, refusal);
  }
}

export function moveErrand(env: ErrandEnv, input: MoveInput): Moved {
  const { database } = env;
  const errand = findErrandById(database, input.errandId);
  if (!errand) throw new AppError('errand_not_found');
  const result = transition(
    { direction: errand.direction, status: errand.status as ErrandStatus, suspendedFrom: errand.suspendedFrom as ErrandStatus | null },
    input.event,
    input.actor.role,
    input.reason,
  );
  if (!result.ok) throw new MoveRefused(result.refusal);
  const { to, suspendedFrom, deadlines } = result.transition;
  const closing = to === 'closed' || to === 'withdrawn' || to === 'refused';
  const patch: ErrandPatch = { ...input.patch, status: to, suspendedFrom, ...(closing ? { closedAt: input.now } : {}), now: input.now };
  const version = updateErrandStatus(database, errand, patch);
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
  const defaults = deadlineDays(env.deadlines, env.catalog.get(errand.itemId));
  const plan = planDeadlines(openDeadlines(database, errand.id), deadlines, { now: input.now, calendar }, (kind) => input.days?.[kind] ?? defaults(kind));
  saveDeadlines(database, errand.id, plan);
  env.touched?.add(errand.id);
  env.calendars.noteUncertainYears(plan.started.flatMap((d) => (d.provisional && d.dueDate ? [Number(d.dueDate.slice(0, 4))] : [])));
  const running = [...plan.started, ...plan.changed].filter((d) => d.status === 'running' && d.dueAt !== null).sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
  const after: ErrandRow = {
    ...errand,
    status: to,
    suspendedFrom,
    agentId: patch.agentId !== undefined ? patch.agentId : errand.agentId,
    closedAt: patch.closedAt !== undefined ? patch.closedAt : errand.closedAt,
    outcome: patch.outcome !== undefined ? patch.outcome : errand.outcome,
    resultNote: patch.resultNote !== undefined ? patch.resultNote : errand.resultNote,
    entrustmentStatus: patch.entrustmentStatus ?? errand.entrustmentStatus,
    version,
    updatedAt: input.now,
  };
  return { before: errand, after, started: plan.started, next: running[0] ?? null };
}
