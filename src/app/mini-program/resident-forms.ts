import { shanghaiDate } from '../../calendar/local-date.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import type { CatalogItem } from '../../catalog/catalog-schema.ts';
import { beneficiaryData } from '../../conversation/actions/beneficiary-actions.ts';
import { takeName, takePhone } from '../../conversation/actions/registration-actions.ts';
import { takeRatingReason } from '../../conversation/actions/rating-actions.ts';
import type { FlowData } from '../../conversation/conversation-state.ts';
import type { Beneficiary, RatingReason } from '../../conversation/effects.ts';
import type { FlowContext } from '../../conversation/flow-context.ts';
import { buildRenderVars, itemView } from '../../conversation/render-vars.ts';
import { errandByReceipt, noticesOf } from '../../db/errand-queries.ts';
import { findMiniProgramRequest, forgetVerifiedPhone, identityById, insertMiniProgramRequest, verifiedPhoneOf } from '../../db/mini-program-repository.ts';
import { personById, type PersonRow } from '../../db/people-repository.ts';
import { awaitingFixRating } from '../../db/rating-repository.ts';
import { isBadLevel, isRatingLevel } from '../../domain/rating-scale.ts';
import { isSelfServiceExempt, type PersonTag } from '../../domain/roles.ts';
import { AppError } from '../../errors.ts';
import { applyEffects } from '../apply-effects.ts';
import { rateErrand } from '../resident-decisions.ts';
import { checkFamilyMember, type FamilyMemberForm } from './beneficiary-form.ts';
import { contextFor, writeFor, type Caller, type MiniProgramEnv } from './mini-program-env.ts';

/**
 * What a resident does through the mini-program's forms: register, read the entrustment and the
 * one-time notice for an item, file the errand, rate it. Each answer is checked by the same actions the
 * chat uses (name, phone, beneficiary, relation, rating reason), and each write goes through the same
 * effects (register_person, create_errand) or use case (rateErrand), so both paths leave the same records.
 */

/** A text an action set (the chat's actions set strings for these keys). */
const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

function invalid(problems: string[]): never {
  throw new AppError('invalid_request', problems.join('; '), { problems });
}

export function requirePerson(caller: Caller): PersonRow {
  if (!caller.person) throw new AppError('not_registered', 'Register first: POST /api/mp/registration with your name, village and phone.');
  return caller.person;
}

// ---- registration ---------------------------------------------------------------------------

export interface RegistrationForm {
  name: string;
  villageCode: string;
  /** null: the phone WeChat verified for this user, if any (else none). */
  phone: string | null;
  situation: readonly PersonTag[];
  /** Working or living away from the village (在外务工): tagged as a migrant worker, as in the chat. */
  livingAway: boolean;
}

export function registerResident(mp: MiniProgramEnv, caller: Caller, form: RegistrationForm, now: number): PersonRow {
  if (caller.person) throw new AppError('already_registered');
  const ctx = contextFor(mp, caller, now);
  const problems: string[] = [];
  const name = takeName.run({ text: form.name, data: {}, ctx });
  if (name.outcome !== 'ok') problems.push('name: 2–20 Chinese or Latin letters (the real name)');
  // A phone WeChat verified (POST /api/mp/phone) is used when the form gives none.
  const verified = verifiedPhoneOf(mp.database, caller.identity.id);
  let phone: string | null = form.phone === null ? verified : null;
  if (form.phone !== null) {
    const taken = takePhone.run({ text: form.phone, data: {}, ctx });
    if (taken.outcome === 'ok' && typeof taken.set?.phone === 'string') phone = taken.set.phone;
    else problems.push('phone: a mainland mobile number of 11 digits (or null to leave none)');
  }
  if (!mp.context().directory.village(form.villageCode)) problems.push(`villageCode: no village ${form.villageCode} (GET /api/mp/villages lists them)`);
  if (problems.length) invalid(problems);
  const tags = [...new Set<string>([...form.situation, ...(form.livingAway ? ['migrant'] : [])])];
  const cleanName = textOf(name.set?.name);
  return writeFor(mp, caller, now, ({ env, ctx: writeCtx }) => {
    // Checked again inside the transaction: two registrations racing each other make one person.
    if (identityById(mp.database, caller.identity.id)?.personId) throw new AppError('already_registered');
    // A typed phone is only a claim (it never shadows a roster person) unless WeChat verified it for this user.
    const phoneVerified = phone !== null && phone === verified;
    applyEffects(env, { identity: caller.identity, person: null, ctx: writeCtx, now }, [
      { kind: 'register_person', name: cleanName, villageCode: form.villageCode, phone, tags, phoneVerified },
    ]);
    forgetVerifiedPhone(mp.database, caller.identity.id);
    const personId = identityById(mp.database, caller.identity.id)?.personId;
    const person = personId ? personById(mp.database, personId) : undefined;
    if (!person) throw new AppError('internal', 'registration left no person');
    return { value: person };
  });
}

// ---- the errand form ------------------------------------------------------------------------

export interface BeneficiaryForm {
  forWhom: 'self' | 'family';
  beneficiary?: FamilyMemberForm | undefined;
}

export interface ErrandForm extends BeneficiaryForm {
  itemId: string;
  privacyConsent?: boolean | undefined;
  entrustment: { confirmed: true; version: string };
}

interface CheckedRequest {
  item: CatalogItem;
  beneficiary: Beneficiary;
  data: FlowData;
}

/** The item and the beneficiary, checked as the chat checks them; every problem at once. */
function checkRequest(catalog: Catalog, ctx: FlowContext, form: BeneficiaryForm & { itemId: string }, problems: string[]): CheckedRequest | null {
  const item = catalog.get(form.itemId);
  if (!item) problems.push(`itemId: no catalogue item ${form.itemId} (GET /api/catalog/items lists them)`);
  else if (!item.directions.includes('village_to_centre')) problems.push(`itemId: ${item.name} is started by the centre, not requested by residents`);
  let beneficiary: Beneficiary = { kind: 'self' };
  if (form.forWhom === 'family') {
    if (!form.beneficiary) problems.push('beneficiary: give the family member\'s name and relation when forWhom is "family"');
    else beneficiary = checkFamilyMember(form.beneficiary, form.itemId, ctx, problems) ?? beneficiary;
  } else if (form.beneficiary) problems.push('beneficiary: only with forWhom "family"');
  if (!item) return null;
  const data: FlowData = { itemId: item.id, ...beneficiaryData(beneficiary) };
  return { item, beneficiary, data };
}

export interface EntrustmentPreview {
  item: ReturnType<typeof itemView> & { selfServiceSuggested: boolean };
  entrustment: { text: string; version: string };
  privacyConsent: { required: boolean; text: string | null };
  notice: { text: string };
}

/** What the form shows before the resident confirms: the entrustment text (and its version), the privacy question, the one-time notice. */
export function previewEntrustment(mp: MiniProgramEnv, caller: Caller, form: BeneficiaryForm & { itemId: string }, now: number): EntrustmentPreview {
  requirePerson(caller);
  const ctx = contextFor(mp, caller, now);
  const { catalog } = mp.context();
  const problems: string[] = [];
  const checked = checkRequest(catalog, ctx, form, problems);
  if (!checked || problems.length) invalid(problems);
  const vars = buildRenderVars(checked.data, ctx, shanghaiDate(now));
  const view = itemView(checked.item, catalog);
  return {
    item: { ...view, selfServiceSuggested: Boolean(view.selfService) && !isSelfServiceExempt(ctx.person) },
    entrustment: { text: mp.templates.render('entrustment.text', vars), version: mp.templates.version('entrustment.text') },
    privacyConsent: {
      required: checked.item.privacySensitive,
      text: checked.item.privacySensitive ? mp.templates.render('request.privacy_consent', vars) : null,
    },
    notice: { text: mp.templates.render('request.one_time_notice', vars) },
  };
}

export interface FiledFromForm {
  receiptNo: string;
  status: string;
  statusText: string;
  /** What the chat says after filing (receipt number, who will call, free of charge). */
  message: string;
  notice: { text: string; items: unknown[]; issuedAt: string };
  entrustment: { version: string };
}

/**
 * Files the errand of a form, once per Idempotency-Key: a retry with the same key and body gets the
 * first answer (`replayed`); the same key with another body is refused.
 */
export function fileErrandFromForm(
  mp: MiniProgramEnv,
  caller: Caller,
  form: ErrandForm,
  idempotency: { key: string; requestHash: string },
  now: number,
): { replayed: boolean; errand: FiledFromForm } {
  const person = requirePerson(caller);
  const earlier = findMiniProgramRequest(mp.database, caller.identity.id, idempotency.key);
  if (earlier) return replay(earlier, idempotency.requestHash);
  const { catalog } = mp.context();
  const problems: string[] = [];
  const checked = checkRequest(catalog, contextFor(mp, caller, now), form, problems);
  const currentVersion = mp.templates.version('entrustment.text');
  if (form.entrustment.version !== currentVersion)
    problems.push(
      `entrustment.version: the entrustment text is now version ${currentVersion}; show it again (GET /api/mp/entrustment) and let the resident confirm it`,
    );
  if (checked?.item.privacySensitive && form.privacyConsent !== true)
    problems.push(`privacyConsent: ${checked.item.name} uses private materials; the resident's separate consent (true) is required`);
  if (!checked || problems.length) invalid(problems);

  return writeFor(mp, caller, now, ({ env, ctx }) => {
    // Checked again inside the transaction: two retries racing each other file once.
    const raced = findMiniProgramRequest(mp.database, caller.identity.id, idempotency.key);
    if (raced) return { value: replay(raced, idempotency.requestHash) };
    const privacyConsent = checked.item.privacySensitive ? true : null;
    const applied = applyEffects(env, { identity: caller.identity, person, ctx, now }, [
      { kind: 'create_errand', itemId: checked.item.id, beneficiary: checked.beneficiary, privacyConsent },
    ]);
    const receiptNo = applied.results.receiptNo;
    const filed = receiptNo ? errandByReceipt(mp.database, receiptNo) : undefined;
    if (!receiptNo || !filed) throw new AppError('internal', 'the errand was not filed');
    const vars = { ...buildRenderVars(checked.data, ctx, shanghaiDate(now)), receiptNo };
    const notice = noticesOf(mp.database, filed.errand.id)[0];
    const errand: FiledFromForm = {
      receiptNo,
      status: filed.errand.status,
      statusText: mp.templates.render(`status.${filed.errand.status}`, {}),
      message: mp.templates.render('request.created', vars),
      notice: {
        text: mp.templates.render('request.one_time_notice', vars),
        items: notice?.items ?? [],
        issuedAt: new Date(notice?.issuedAt ?? now).toISOString(),
      },
      entrustment: { version: currentVersion },
    };
    insertMiniProgramRequest(mp.database, {
      identityId: caller.identity.id,
      idempotencyKey: idempotency.key,
      requestHash: idempotency.requestHash,
      response: errand,
      createdAt: now,
    });
    mp.logger.info({ receiptNo, channel: caller.identity.channel }, 'errand requested');
    return { value: { replayed: false, errand }, pendingOutboxIds: applied.pendingOutboxIds };
  });
}

function replay(earlier: { requestHash: string; response: unknown }, requestHash: string): { replayed: boolean; errand: FiledFromForm } {
  if (earlier.requestHash !== requestHash) throw new AppError('idempotency_conflict');
  return { replayed: true, errand: earlier.response as FiledFromForm };
}

// ---- rating ---------------------------------------------------------------------------------

export interface RatingForm {
  /** 好差评 numbered like stars: 5 非常满意 … 1 非常不满意 (the range is checked by the route, again here). */
  score: number;
  reasonKind?: RatingReason | undefined;
  reason?: string | undefined;
}

/** 好差评 of one of the caller's errands, in the chat's window (fed back, or a rectification awaiting its rating). */
export function rateFromForm(
  mp: MiniProgramEnv,
  caller: Caller,
  receiptNo: string,
  form: RatingForm,
  now: number,
): { receiptNo: string; round: 'first' | 'rectification'; status: string } {
  const person = requirePerson(caller);
  const level = form.score;
  if (!isRatingLevel(level)) invalid(['score: 5 非常满意, 4 满意, 3 基本满意, 2 不满意 or 1 非常不满意']);
  const found = errandByReceipt(mp.database, receiptNo);
  if (!found || found.errand.requesterId !== person.id) throw new AppError('errand_not_found');
  const errand = found.errand;
  const round = errand.status === 'fed_back' ? 'first' : errand.status === 'closed' && awaitingFixRating(mp.database, errand.id) ? 'rectification' : null;
  if (!round) throw new AppError('not_allowed', `errand ${receiptNo} is not waiting for a rating (status ${errand.status})`);
  const bad = isBadLevel(level);
  if (bad && !form.reasonKind && !form.reason?.trim()) invalid(['reasonKind: a score of 2 or 1 (不满意, 非常不满意) needs a reason: reasonKind or reason']);
  return writeFor(mp, caller, now, ({ env, ctx }) => {
    const data: FlowData = { errandId: errand.id, level, ratingRound: round };
    let reasonKind: RatingReason | null = form.reasonKind ?? null;
    const reason = form.reason?.trim() ? form.reason.trim() : null;
    // Words only: read as the chat reads them ("办错了" is a work error).
    if (!reasonKind && reason && bad) {
      const effect = takeRatingReason.run({ text: reason, data, ctx }).effects?.[0];
      reasonKind = effect?.kind === 'rate_errand' ? effect.reasonKind : 'other';
    }
    const pendingOutboxIds = rateErrand(
      env,
      person,
      { kind: 'rate_errand', errandId: errand.id, round, level, reasonKind: bad ? reasonKind : null, reason },
      now,
    );
    const after = errandByReceipt(mp.database, receiptNo);
    return { value: { receiptNo, round, status: after?.errand.status ?? errand.status }, pendingOutboxIds };
  });
}
