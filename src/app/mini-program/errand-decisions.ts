import { errandByReceipt } from '../../db/errand-queries.ts';
import type { ErrandRow } from '../../db/errand-repository.ts';
import type { PersonRow } from '../../db/people-repository.ts';
import type { ComplaintType } from '../../conversation/effects.ts';
import { AppError } from '../../errors.ts';
import { applyEffects } from '../apply-effects.ts';
import { confirmEntrustment, declineEntrustment, entrustmentVarsOf, withdrawErrand } from '../resident-decisions.ts';
import { contextFor, writeFor, type Caller, type MiniProgramEnv } from './mini-program-env.ts';
import { requirePerson } from './resident-forms.ts';

/**
 * What a resident decides from the mini-program, as in the chat and through the same use cases
 * (resident-decisions.ts, the chat's effects): withdraw a request; confirm or decline the
 * entrustment of an errand the village agent filed for them, after reading its text; complain; ask
 * the village agent to get in touch.
 */

function ownErrand(mp: MiniProgramEnv, person: PersonRow, receiptNo: string): ErrandRow {
  const found = errandByReceipt(mp.database, receiptNo);
  if (!found || found.errand.requesterId !== person.id) throw new AppError('errand_not_found');
  return found.errand;
}

export interface WithdrawalAnswer {
  receiptNo: string;
  status: string;
  /** What happens to the materials taken in, in the same words as the chat. */
  materials: { at: 'none' | 'agent' | 'centre'; list: string; message: string };
}

export function withdrawFromForm(mp: MiniProgramEnv, caller: Caller, receiptNo: string, now: number): WithdrawalAnswer {
  const person = requirePerson(caller);
  const errand = ownErrand(mp, person, receiptNo);
  return writeFor(mp, caller, now, ({ env }) => {
    const { outboxIds, materials } = withdrawErrand(env, person, errand.id, now);
    const message = env.templates.render('withdraw.materials_told', { at: materials.at, list: materials.list, agentName: materials.agentName });
    return { value: { receiptNo, status: 'withdrawn', materials: { at: materials.at, list: materials.list, message } }, pendingOutboxIds: outboxIds };
  });
}

export interface PendingEntrustment {
  pending: boolean;
  text: string;
  version: string;
  privacyConsent: { required: boolean; text: string | null };
}

/** The entrustment the resident is asked to confirm for an errand filed for them (`pending` false once decided). */
export function entrustmentOfErrand(mp: MiniProgramEnv, caller: Caller, receiptNo: string, now: number): PendingEntrustment {
  const person = requirePerson(caller);
  const errand = ownErrand(mp, person, receiptNo);
  const ctx = contextFor(mp, caller, now);
  const item = mp.context().catalog.get(errand.itemId);
  const vars = entrustmentVarsOf(errand, ctx, now);
  return {
    pending: errand.entrustmentStatus === 'pending',
    text: mp.templates.render('entrustment.text', vars),
    version: mp.templates.version('entrustment.text'),
    privacyConsent: { required: Boolean(item?.privacySensitive), text: item?.privacySensitive ? mp.templates.render('request.privacy_consent', vars) : null },
  };
}

export type EntrustmentDecision = { decision: 'confirm'; version: string; privacyConsent?: boolean | undefined } | { decision: 'decline' };

export function decideEntrustment(
  mp: MiniProgramEnv,
  caller: Caller,
  receiptNo: string,
  form: EntrustmentDecision,
  now: number,
): { receiptNo: string; status: string; entrustment: string } {
  const person = requirePerson(caller);
  const errand = ownErrand(mp, person, receiptNo);
  if (errand.entrustmentStatus !== 'pending') throw new AppError('not_allowed', `the entrustment of ${receiptNo} is ${errand.entrustmentStatus} already`);
  if (form.decision === 'confirm' && form.version !== mp.templates.version('entrustment.text'))
    throw new AppError('invalid_request', 'The entrustment text has changed since it was shown: show GET …/entrustment again and confirm that version.');
  return writeFor(mp, caller, now, ({ env, ctx }) => {
    const pendingOutboxIds =
      form.decision === 'confirm'
        ? confirmEntrustment(env, person, ctx, errand.id, form.privacyConsent ?? null, now)
        : declineEntrustment(env, person, errand.id, now);
    const after = errandByReceipt(mp.database, receiptNo)?.errand ?? errand;
    return { value: { receiptNo, status: after.status, entrustment: form.decision === 'decline' ? 'declined' : after.entrustmentStatus }, pendingOutboxIds };
  });
}

export interface ComplaintForm {
  type: ComplaintType;
  text: string;
  /** One of the resident's errands the complaint is about, if any. */
  receiptNo?: string | undefined;
}

/** A complaint (投诉), as in the chat: recorded with its time limit, and the supervisors told. */
export function complainFromForm(
  mp: MiniProgramEnv,
  caller: Caller,
  form: ComplaintForm,
  now: number,
): { complaintId: number; dueDate: string; hotline: string } {
  const person = requirePerson(caller);
  if (form.receiptNo) ownErrand(mp, person, form.receiptNo);
  return writeFor(mp, caller, now, ({ env, ctx }) => {
    const applied = applyEffects(env, { identity: caller.identity, person, ctx, now }, [
      { kind: 'record_complaint', type: form.type, text: form.text.trim(), receiptNo: form.receiptNo ?? null },
    ]);
    const { complaintId, complaintDue } = applied.results;
    if (typeof complaintId !== 'number' || typeof complaintDue !== 'string') throw new AppError('internal', 'the complaint was not recorded');
    return { value: { complaintId, dueDate: complaintDue, hotline: env.directory.county.hotline }, pendingOutboxIds: applied.pendingOutboxIds };
  });
}

/** Asks the village agent to get in touch (找代办员), with an optional message: the agents of the resident's village are told privately. */
export function contactAgentFromForm(mp: MiniProgramEnv, caller: Caller, message: string | null, now: number): { told: number } {
  const person = requirePerson(caller);
  return writeFor(mp, caller, now, ({ env, ctx }) => {
    const applied = applyEffects(env, { identity: caller.identity, person, ctx, now }, [{ kind: 'contact_agent', message: message?.trim() || null }]);
    return { value: { told: applied.pendingOutboxIds.length }, pendingOutboxIds: applied.pendingOutboxIds };
  });
}
