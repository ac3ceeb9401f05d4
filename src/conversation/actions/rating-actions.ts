import type { ActionResult, ActionSpec } from '../action-spec.ts';
import type { FlowData } from '../conversation-state.ts';
import type { RatingReason } from '../effects.ts';
import type { ErrandView } from '../flow-context.ts';
import { clip } from '../../text/normalise.ts';

/** 好差评 after feedback, the reason for a bad one, and the rating of a rectification. */

const MAX_REASON = 300;

const ratable = (e: ErrandView) => e.ratable !== null;

export const findErrandToRate: ActionSpec = {
  outcomes: { found: ['errandId', 'ratingRound'], none: [] },
  run({ data, ctx }) {
    const wanted = typeof data.errandId === 'number' ? ctx.myErrands.find((e) => e.id === data.errandId && ratable(e)) : undefined;
    const errand = wanted ?? ctx.myErrands.find(ratable);
    if (!errand?.ratable) return { outcome: 'none' };
    return { outcome: 'found', set: { errandId: errand.id, ratingRound: errand.ratable } };
  },
};

function rate(data: FlowData, score: number, reasonKind: RatingReason | null, reason: string | null, outcome = 'done'): ActionResult {
  return {
    outcome,
    set: { reasonKind },
    effects: [
      {
        kind: 'rate_errand',
        errandId: Number(data.errandId),
        round: data.ratingRound === 'rectification' ? 'rectification' : 'first',
        score,
        reasonKind,
        reason,
      },
    ],
  };
}

/** One action per good score (1 非常满意, 2 满意, 3 基本满意): the rating is recorded at once. */
export function goodScore(score: 1 | 2 | 3): ActionSpec {
  return { outcomes: { done: ['reasonKind'] }, run: ({ data }) => rate(data, score, null, null) };
}

/** A bad score (4 不满意, 5 非常不满意) waits until the resident says why. */
export function badScore(score: 4 | 5): ActionSpec {
  return { outcomes: { done: ['score'] }, run: () => ({ outcome: 'done', set: { score } }) };
}

/** One action per reason option (办错了, 太慢…). */
export function badReason(kind: RatingReason): ActionSpec {
  return { outcomes: { done: ['reasonKind'] }, run: ({ data }) => rate(data, Number(data.score) || 4, kind, null) };
}

/** A reason in the resident's own words; "办错了" and the like count as a work error. */
export const takeRatingReason: ActionSpec = {
  outcomes: { ok: ['reasonKind'] },
  run({ text, data }) {
    const reason = clip((text ?? '').trim(), MAX_REASON);
    const workError = /办错|弄错|搞错|错了|工作失误|失误/.test(reason);
    return rate(data, Number(data.score) || 4, workError ? 'work_error' : 'other', reason, 'ok');
  },
};

export const ratingRound: ActionSpec = {
  outcomes: { first: [], rectification: [] },
  run: ({ data }) => ({ outcome: data.ratingRound === 'rectification' ? 'rectification' : 'first' }),
};

/** After a bad rating: a work error is re-done at once; anything else opens a rectification case. */
export const badRatingOutcome: ActionSpec = {
  outcomes: { reopened: [], rectification: [], fix: [] },
  run({ data }) {
    if (data.ratingRound === 'rectification') return { outcome: 'fix' };
    return { outcome: data.reasonKind === 'work_error' ? 'reopened' : 'rectification' };
  },
};
