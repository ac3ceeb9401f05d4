import { storedBeneficiary } from '../../domain/beneficiary.ts';
import type { ActionSpec } from '../action-spec.ts';
import { BENEFICIARY_KEYS, beneficiaryData } from './beneficiary-actions.ts';

/** A resident confirms (or declines) the entrustment of an errand an agent or collector filed for them. */

export const findErrandToConfirm: ActionSpec = {
  outcomes: { found: ['errandId', 'itemId', ...BENEFICIARY_KEYS], none: [] },
  run({ data, ctx }) {
    const pending = ctx.myErrands.filter((e) => e.entrustmentPending);
    const errand = (typeof data.errandId === 'number' ? pending.find((e) => e.id === data.errandId) : undefined) ?? pending[0];
    if (!errand) return { outcome: 'none' };
    return { outcome: 'found', set: { errandId: errand.id, itemId: errand.itemId, ...beneficiaryData(storedBeneficiary(errand.beneficiary)) } };
  },
};

export const confirmEntrustment: ActionSpec = {
  outcomes: { done: [] },
  run: ({ data }) => ({
    outcome: 'done',
    effects: [
      { kind: 'confirm_entrustment', errandId: Number(data.errandId), privacyConsent: typeof data.privacyConsent === 'boolean' ? data.privacyConsent : null },
    ],
  }),
};

export const declineEntrustment: ActionSpec = {
  outcomes: { done: [] },
  run: ({ data }) => ({ outcome: 'done', effects: [{ kind: 'decline_entrustment', errandId: Number(data.errandId) }] }),
};
