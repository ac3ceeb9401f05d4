import type { DeadlinePolicy } from '../../config/config.ts';
import type { TemplateSet } from '../../conversation/templates.ts';
import type { FlowContext } from '../../conversation/flow-context.ts';
import { StaleErrandError } from '../../db/errand-repository.ts';
import type { Database } from '../../db/open-database.ts';
import { AppError } from '../../errors.ts';
import type { IdentityRow, PersonRow } from '../../db/people-repository.ts';
import type { EffectEnv } from '../apply-effects.ts';
import type { CalendarBook } from '../calendar-book.ts';
import type { CatalogCache } from '../catalog-cache.ts';
import type { DirectoryCache } from '../directory.ts';
import { buildFlowContext } from '../flow-context-builder.ts';
import type { Logger, OutboxDispatch } from '../ports.ts';
import type { TrackingCodes } from '../tracking-codes.ts';

/**
 * What the mini-program's use cases need: the same pieces the chat's inbound handler gets, so that a
 * form and a conversation write the same records. `write` runs one transaction and, after the commit,
 * tells the outbox dispatcher and the deadline scheduler — exactly as the inbound handler does.
 */

export interface MiniProgramEnv {
  database: Database;
  directories: DirectoryCache;
  catalogs: CatalogCache;
  calendars: CalendarBook;
  templates: TemplateSet;
  deadlines: DeadlinePolicy;
  dispatch: OutboxDispatch;
  alerts?: { changed(errandIds: ReadonlySet<number>): void };
  logger: Logger;
  newPersonId: () => string;
  /** Signed codes that open a receipt's progress without the phone. */
  trackingCodes: TrackingCodes;
}

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
      const directory = mp.directories.current();
      const { catalog, matcher } = mp.catalogs.current();
      const env: EffectEnv = {
        database: mp.database,
        directory,
        catalog,
        calendars: mp.calendars,
        templates: mp.templates,
        deadlines: mp.deadlines,
        newPersonId: mp.newPersonId,
        touched,
      };
      const ctx = buildFlowContext(
        { database: mp.database, directory, catalog, matcher, templates: mp.templates },
        { now, identity: caller.identity, person: caller.person },
      );
      return fn({ env, ctx });
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
  const directory = mp.directories.current();
  const { catalog, matcher } = mp.catalogs.current();
  return buildFlowContext(
    { database: mp.database, directory, catalog, matcher, templates: mp.templates },
    { now, identity: caller.identity, person: caller.person },
  );
}
