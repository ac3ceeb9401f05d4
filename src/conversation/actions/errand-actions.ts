import { findReceiptNo } from '../../domain/receipt-number.ts';
import type { ActionSpec } from '../action-spec.ts';
import type { ErrandView } from '../flow-context.ts';

/** My errands, progress by receipt number, and withdrawal. */

const MAX_LISTED = 9;

const choice = (e: ErrandView) => ({ value: e.id, label: `${e.receiptNo} ${e.itemName}（${e.statusText}）` });

export const listMyErrands: ActionSpec = {
  outcomes: { none: [], one: ['errandId'], some: ['errandChoices'] },
  run({ ctx }) {
    const errands = ctx.myErrands.slice(0, MAX_LISTED);
    const [only] = errands;
    if (!only) return { outcome: 'none' };
    if (errands.length === 1) return { outcome: 'one', set: { errandId: only.id } };
    return { outcome: 'some', set: { errandChoices: errands.map(choice) } };
  },
};

export const findMyErrandByReceipt: ActionSpec = {
  outcomes: { found: ['errandId', 'receiptNo'], not_found: ['receiptNo'], missing: [] },
  run({ text, data, ctx }) {
    const source = text ?? (typeof data.initialText === 'string' ? data.initialText : '');
    const receiptNo = findReceiptNo(source);
    if (!receiptNo) return { outcome: 'missing' };
    const errand = ctx.myErrands.find((e) => e.receiptNo === receiptNo);
    return errand ? { outcome: 'found', set: { errandId: errand.id, receiptNo } } : { outcome: 'not_found', set: { receiptNo } };
  },
};

export const listWithdrawable: ActionSpec = {
  outcomes: { none: [], one: ['errandId'], some: ['errandChoices'] },
  run({ data, ctx }) {
    const withdrawable = ctx.myErrands.filter((e) => e.withdrawable);
    const fromText = typeof data.initialText === 'string' ? findReceiptNo(data.initialText) : null;
    const named = fromText ? withdrawable.find((e) => e.receiptNo === fromText) : undefined;
    if (named) return { outcome: 'one', set: { errandId: named.id } };
    const [only] = withdrawable;
    if (!only) return { outcome: 'none' };
    if (withdrawable.length === 1) return { outcome: 'one', set: { errandId: only.id } };
    // Every one: an errand left off the list could not be withdrawn by chat.
    return { outcome: 'some', set: { errandChoices: withdrawable.map(choice) } };
  },
};

/** Errands whose result has not reached the resident yet (送到家 / 我自己去取 apply to them). */
export const listResultPending: ActionSpec = {
  outcomes: { none: [], one: ['errandId'], some: ['errandChoices'] },
  run({ ctx }) {
    const pending = ctx.myErrands.filter((e) => e.resultPending);
    const [only] = pending;
    if (!only) return { outcome: 'none' };
    if (pending.length === 1) return { outcome: 'one', set: { errandId: only.id } };
    return { outcome: 'some', set: { errandChoices: pending.slice(0, MAX_LISTED).map(choice) } };
  },
};

const chooseDelivery = (choice: 'home' | 'self'): ActionSpec => ({
  outcomes: { done: [] },
  run({ data }) {
    return { outcome: 'done', effects: [{ kind: 'choose_result_delivery', errandId: Number(data.errandId), choice }] };
  },
});
export const deliverHome = chooseDelivery('home');
export const fetchMyself = chooseDelivery('self');

export const withdrawErrand: ActionSpec = {
  outcomes: { done: [] },
  run({ data }) {
    return { outcome: 'done', effects: [{ kind: 'withdraw_errand', errandId: Number(data.errandId) }] };
  },
};
