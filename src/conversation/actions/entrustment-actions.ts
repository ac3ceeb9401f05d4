import type { ActionSpec } from '../action-spec.ts';

/** A resident confirms (or declines) the entrustment of an errand an agent or collector filed for them. */

export const findErrandToConfirm: ActionSpec = {
  outcomes: { found: ['errandId', 'itemId', 'forWhom', 'beneficiaryName', 'relation'], none: [] },
  run({ data, ctx }) {
    const pending = ctx.myErrands.filter((e) => e.entrustmentPending);
    const errand = (typeof data.errandId === 'number' ? pending.find((e) => e.id === data.errandId) : undefined) ?? pending[0];
    if (!errand) return { outcome: 'none' };
    const family = errand.beneficiary.kind === 'family';
    return {
      outcome: 'found',
      set: {
        errandId: errand.id,
        itemId: errand.itemId,
        forWhom: family ? 'family' : 'self',
        beneficiaryName: family ? errand.beneficiary.name : null,
        relation: family ? errand.beneficiary.relation : null,
      },
    };
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
