import { shanghaiDate, endOfShanghaiDay } from '../calendar/local-date.ts';
import { beneficiaryData } from '../conversation/actions/beneficiary-actions.ts';
import type { FlowData } from '../conversation/conversation-state.ts';
import { storedBeneficiary } from '../domain/beneficiary.ts';
import type { Effect } from '../conversation/effects.ts';
import type { FlowContext } from '../conversation/flow-context.ts';
import type { TemplateSet } from '../conversation/templates.ts';
import { buildRenderVars } from '../conversation/render-vars.ts';
import { appendEvent, findErrandById, insertEntrustment, updateErrandStatus, type ErrandRow } from '../db/errand-repository.ts';
import { insertOutbox } from '../db/outbox-repository.ts';
import type { PersonRow } from '../db/people-repository.ts';
import { awaitingFixRating, closeRectification, insertRating, openRectification } from '../db/rating-repository.ts';
import type { ErrandStatus } from '../domain/errand-lifecycle.ts';
import { isBadLevel } from '../domain/rating-scale.ts';
import { AppError } from '../errors.ts';
import { errandNotifier, errandParties } from './errand-parties.ts';
import type { ErrandEnv } from './file-errand.ts';
import { afterWithdrawal, type WithdrawalMaterials } from './material-returns.ts';
import { moveErrand } from './move-errand.ts';
import { toRooms, toStaff } from './notifications.ts';
import { maskName } from '../domain/masking.ts';

/**
 * What a resident decides about an errand, in chat or in the mini-program: a rating (and, for a bad
 * one, a re-do or a rectification case), confirming or declining an entrustment an agent filed for
 * them, and withdrawing a request. Runs inside the caller's transaction; returns the outbox ids
 * waiting for delivery.
 */

type RateEffect = Extract<Effect, { kind: 'rate_errand' }>;

function ownErrand(env: ErrandEnv, person: PersonRow, errandId: number): ErrandRow {
  const errand = findErrandById(env.database, errandId);
  if (!errand || errand.requesterId !== person.id) throw new AppError('errand_not_found');
  return errand;
}

export function rateErrand(env: ErrandEnv, person: PersonRow, effect: RateEffect, now: number): number[] {
  const { database, directory, templates } = env;
  const errand = ownErrand(env, person, effect.errandId);
  const itemName = env.catalog.get(errand.itemId)?.name ?? errand.itemId;
  const { level } = effect;
  const bad = isBadLevel(level);
  const levelLabel = templates.render(`rating_level.l${level}`, {});
  const reason = effect.reason ?? (effect.reasonKind ? templates.render(`rating_reason.${effect.reasonKind}`, {}) : null);

  if (effect.round === 'rectification') {
    if (!awaitingFixRating(database, errand.id)) throw new AppError('not_allowed', 'no rectification waiting for a rating');
    insertRating(database, {
      errandId: errand.id,
      personId: person.id,
      round: 'rectification',
      level,
      reasonKind: effect.reasonKind,
      reason,
      at: now,
    });
    closeRectification(database, errand.id);
    if (!bad) return [];
    const parties = errandParties(database, directory, errand, itemName);
    const notify = errandNotifier(database, directory, templates, parties, 'fix-rated');
    return insertOutbox(
      database,
      notify.staff(directory.staff('supervisor', {}), 'notify.supervisor_fix_still_bad', { levelLabel, level, reason: reason ?? '' }),
      now,
    );
  }

  if (errand.status !== 'fed_back') throw new AppError('not_allowed', `errand ${errand.receiptNo} is not waiting for a rating`);
  const ratingId = insertRating(database, {
    errandId: errand.id,
    personId: person.id,
    round: 'first',
    level,
    reasonKind: effect.reasonKind,
    reason,
    at: now,
  });

  if (bad && effect.reasonKind === 'work_error') {
    // 办错了: handled again at once, by the same agent and centre.
    const moved = moveErrand(env, {
      errandId: errand.id,
      event: 'reopen',
      actor: { personId: person.id, role: 'resident' },
      reason: reason ?? levelLabel,
      now,
    });
    const parties = errandParties(database, directory, moved.after, itemName);
    const notify = errandNotifier(database, directory, templates, parties, 'reopened');
    return insertOutbox(database, [...notify.agents('notify.agent_reopened', { reason: reason ?? '' }), ...notify.agentRoom('notify.room_reopened')], now);
  }

  const moved = moveErrand(env, { errandId: errand.id, event: 'rate', actor: { personId: person.id, role: 'resident' }, data: { level }, now });
  if (!bad) return [];
  // A bad review: a rectification case with its own time limit, for the supervisor.
  const calendar = env.calendars.forTownship(errand.townshipCode);
  const due = calendar.addWorkingDays(shanghaiDate(now), env.deadlines.rectificationDays);
  env.calendars.noteUncertainYears(due.uncertainYears);
  openRectification(database, { errandId: errand.id, ratingId, dueDate: due.date, dueAt: endOfShanghaiDay(due.date), at: now });
  const parties = errandParties(database, directory, moved.after, itemName);
  const notify = errandNotifier(database, directory, templates, parties, 'bad-review');
  return insertOutbox(
    database,
    notify.staff(directory.staff('supervisor', {}), 'notify.supervisor_bad_review', { levelLabel, level, reason: reason ?? '', dueDate: due.date }),
    now,
  );
}

/** What the entrustment text of an errand filed for the resident is rendered with. */
export function entrustmentVarsOf(errand: ErrandRow, ctx: FlowContext, now: number): ReturnType<typeof buildRenderVars> {
  const data: FlowData = { itemId: errand.itemId, ...beneficiaryData(storedBeneficiary(errand.beneficiary)) };
  return buildRenderVars(data, ctx, shanghaiDate(now));
}

/** The entrustment text of an errand filed for the resident, as they are asked to confirm it. */
export function entrustmentTextOf(templates: TemplateSet, errand: ErrandRow, ctx: FlowContext, now: number): string {
  return templates.render('entrustment.text', entrustmentVarsOf(errand, ctx, now));
}

export function confirmEntrustment(
  env: ErrandEnv,
  person: PersonRow,
  ctx: FlowContext,
  errandId: number,
  privacyConsent: boolean | null,
  now: number,
): number[] {
  const { database, directory, templates } = env;
  const errand = ownErrand(env, person, errandId);
  if (errand.entrustmentStatus !== 'pending') return [];
  const item = env.catalog.get(errand.itemId);
  if (item?.privacySensitive && privacyConsent !== true) throw new AppError('not_allowed', 'privacy-sensitive item without consent');
  const b = errand.beneficiary;
  insertEntrustment(database, {
    errandId: errand.id,
    confirmedBy: person.id,
    beneficiary: b,
    textVersion: templates.version('entrustment.text'),
    text: entrustmentTextOf(templates, errand, ctx, now),
    privacyConsent,
    channel: ctx.identity.channel,
    at: now,
  });
  const version = updateErrandStatus(database, errand, {
    status: errand.status as ErrandStatus,
    suspendedFrom: errand.suspendedFrom as ErrandStatus | null,
    entrustmentStatus: 'confirmed',
    now,
  });
  appendEvent(database, {
    errandId: errand.id,
    version,
    type: 'entrust',
    fromStatus: errand.status as ErrandStatus,
    toStatus: errand.status as ErrandStatus,
    actorPersonId: person.id,
    actorRole: 'resident',
    at: now,
  });
  const parties = errandParties(database, directory, { ...errand, version }, item?.name ?? errand.itemId);
  return insertOutbox(database, errandNotifier(database, directory, templates, parties, 'entrusted').agents('notify.agent_entrusted'), now);
}

export function declineEntrustment(env: ErrandEnv, person: PersonRow, errandId: number, now: number): number[] {
  const { database, directory, templates } = env;
  const errand = ownErrand(env, person, errandId);
  const reason = templates.render('reason.entrustment_declined', {});
  const moved = moveErrand(env, { errandId: errand.id, event: 'withdraw', actor: { personId: person.id, role: 'resident' }, reason, now });
  const parties = errandParties(database, directory, moved.after, env.catalog.get(errand.itemId)?.name ?? errand.itemId);
  return insertOutbox(database, errandNotifier(database, directory, templates, parties, 'declined').agents('notify.agent_declined'), now);
}

/**
 * The resident withdraws a request (when the lifecycle allows it): the agent holding it, or the
 * village's agents, and the agents' room are told. Materials taken in are to be given back: the agent
 * gets the task with the list, and the centre is told when they were delivered (material-returns.ts).
 */
export function withdrawErrand(env: ErrandEnv, person: PersonRow, errandId: number, now: number): { outboxIds: number[]; materials: WithdrawalMaterials } {
  const { database, directory, templates } = env;
  const errand = ownErrand(env, person, errandId);
  const moved = moveErrand(env, { errandId: errand.id, event: 'withdraw', actor: { personId: person.id, role: 'resident' }, reason: null, now });
  const returns = afterWithdrawal(env, moved, now);
  if (returns.materials.at !== 'none') return { outboxIds: insertOutbox(database, returns.outbox, now), materials: returns.materials };
  const itemName = env.catalog.get(errand.itemId)?.name ?? errand.itemId;
  const text = templates.render('notify.withdrawn_room', { receiptNo: moved.before.receiptNo, itemName, maskedName: maskName(person.name) });
  const key = `errand-${errand.id}-withdrawn`;
  const agents = moved.before.agentId
    ? directory.staff('agent', {}).filter((a) => a.id === moved.before.agentId)
    : directory.staff('agent', { village: moved.before.villageCode });
  const outboxIds = insertOutbox(
    database,
    [...toRooms(directory.agentRooms(moved.before.villageCode), text, errand.id, key), ...toStaff(agents, text, errand.id, key)],
    now,
  );
  return { outboxIds, materials: returns.materials };
}
