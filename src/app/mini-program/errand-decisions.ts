import { errandByReceipt } from '../../db/errand-queries.ts';
import type { ErrandRow } from '../../db/errand-repository.ts';
import type { PersonRow } from '../../db/people-repository.ts';
import { AppError } from '../../errors.ts';
import { confirmEntrustment, declineEntrustment, entrustmentVarsOf, withdrawErrand } from '../resident-decisions.ts';
import { contextFor, writeFor, type Caller, type MiniProgramEnv } from './mini-program-env.ts';
import { requirePerson } from './resident-forms.ts';

/**
 * What a resident decides about an errand from the mini-program, as in the chat and through the same
 * use cases (resident-decisions.ts): withdraw a request, and confirm or decline the entrustment of
 * an errand the village agent filed for them (on paper or by command), after reading its text.
 */

function ownErrand(mp: MiniProgramEnv, person: PersonRow, receiptNo: string): ErrandRow {
  const found = errandByReceipt(mp.database, receiptNo);
  if (!found || found.errand.requesterId !== person.id) throw new AppError('errand_not_found');
  return found.errand;
}

export function withdrawFromForm(mp: MiniProgramEnv, caller: Caller, receiptNo: string, now: number): { receiptNo: string; status: string } {
  const person = requirePerson(caller);
  const errand = ownErrand(mp, person, receiptNo);
  return writeFor(mp, caller, now, ({ env }) => {
    const pendingOutboxIds = withdrawErrand(env, person, errand.id, now);
    return { value: { receiptNo, status: 'withdrawn' }, pendingOutboxIds };
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
  const item = mp.catalogs.current().catalog.get(errand.itemId);
  const vars = entrustmentVarsOf(errand, ctx, now);
  return {
    pending: errand.entrustmentStatus === 'pending',
    text: mp.templates.render('entrustment.text', vars),
    version: mp.templates.version('entrustment.text'),
    privacyConsent: { required: Boolean(item?.privacySensitive), text: item?.privacySensitive ? mp.templates.render('request.privacy_consent', vars) : null },
  };
}

export type EntrustmentDecision = { decision: 'confirm'; version: string; privacyConsent?: boolean | undefined } | { decision: 'decline' };

export function decideEntrustment(mp: MiniProgramEnv, caller: Caller, receiptNo: string, form: EntrustmentDecision, now: number): { receiptNo: string; status: string; entrustment: string } {
  const person = requirePerson(caller);
  const errand = ownErrand(mp, person, receiptNo);
  if (errand.entrustmentStatus !== 'pending') throw new AppError('not_allowed', `the entrustment of ${receiptNo} is ${errand.entrustmentStatus} already`);
  if (form.decision === 'confirm' && form.version !== mp.templates.version('entrustment.text'))
    throw new AppError('invalid_request', 'The entrustment text has changed since it was shown: show GET …/entrustment again and confirm that version.');
  return writeFor(mp, caller, now, ({ env, ctx }) => {
    const pendingOutboxIds =
      form.decision === 'confirm' ? confirmEntrustment(env, person, ctx, errand.id, form.privacyConsent ?? null, now) : declineEntrustment(env, person, errand.id, now);
    const after = errandByReceipt(mp.database, receiptNo)?.errand ?? errand;
    return { value: { receiptNo, status: after.status, entrustment: form.decision === 'decline' ? 'declined' : after.entrustmentStatus }, pendingOutboxIds };
  });
}
