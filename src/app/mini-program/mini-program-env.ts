import type { FlowContext } from '../../conversation/flow-context.ts';
import { StaleErrandError } from '../../db/errand-repository.ts';
import { AppError } from '../../errors.ts';
import type { IdentityRow, PersonRow } from '../../db/people-repository.ts';
import type { EffectEnv } from '../apply-effects.ts';
import type { AppContext, AppContexts } from '../app-context.ts';
import { buildFlowContext } from '../flow-context-builder.ts';
import type { Logger, OutboxDispatch } from '../ports.ts';
import type { TrackingCodes } from '../tracking-codes.ts';

/**
 * What the mini-program's use cases need: the same pieces the chat's inbound handler gets, so that a
 * form and a conversation write the same records. `write` runs one transaction and, after the commit,
 * tells the outbox dispatcher and the deadline scheduler — exactly as the inbound handler does.
 */

export type MiniProgramEnv = Pick<AppContext, 'database' | 'templates'> & {
  /** Each request's context, read once at its start (the roster and the catalogue as they are now). */
  context: AppContexts;
  dispatch: OutboxDispatch;
  alerts?: { changed(errandIds: ReadonlySet<number>): void };
  logger: Logger;
  /** Signed codes that open a receipt's progress without the phone. */
  trackingCodes: TrackingCodes;
};

/** The caller of a mini-program request: its channel identity and, once registered, its person. */
export interface Caller {
  identity: IdentityRow;
  person: PersonRow | null;
}

export interface WriteScope {
  env: EffectEnv;
  ctx: FlowContext;
}

export interface WriteOutcome<T> {
  value: T;
  pendingOutboxIds?: readonly number[];
}

/** One transaction for a caller; notifications and deadline jobs are handed over after the commit. */
export function writeFor<T>(mp: MiniProgramEnv, caller: Caller, now: number, fn: (scope: WriteScope) => WriteOutcome<T>): T {
  const touched = new Set<number>();
  let outcome: WriteOutcome<T>;
  try {
    outcome = mp.database.write(() => {
      const app = mp.context();
      const ctx = buildFlowContext(app, { now, identity: caller.identity, person: caller.person });
      return fn({ env: { ...app, touched }, ctx });
    });
  } catch (error) {
    // Another process moved the errand in between: nothing was written; the client may try again.
    if (error instanceof StaleErrandError) throw new AppError('conflict', undefined, undefined, { cause: error });
    throw error;
  }
  const pending = outcome.pendingOutboxIds ?? [];
  if (pending.length) {
    mp.dispatch
      .enqueue(pending)
      .catch((error: unknown) =>
        mp.logger.warn({ err: error, outboxRows: pending.length }, 'outbox dispatch deferred (Redis unreachable?): the sweeper will deliver these'),
      );
  }
  if (touched.size) mp.alerts?.changed(touched);
  return outcome.value;
}

/** A read-only flow context (no transaction). */
export function contextFor(mp: MiniProgramEnv, caller: Caller, now: number): FlowContext {
  return buildFlowContext(mp.context(), { now, identity: caller.identity, person: caller.person });
}
