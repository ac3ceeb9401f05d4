import type { ActionResult, ActionSpec } from '../action-spec.ts';
import type { FlowData } from '../conversation-state.ts';
import type { RatingReason } from '../effects.ts';
import type { ErrandView } from '../flow-context.ts';
import { readRatingLevel } from '../rating-reading.ts';
import { isBadLevel, isRatingLevel, type RatingLevel } from '../../domain/rating-scale.ts';
import { clip } from '../../text/normalise.ts';

/** 好差评 after feedback (5 非常满意 … 1 非常不满意), the reason for a bad one, and the rating of a rectification. */

const MAX_REASON = 300;

const ratable = (e: ErrandView) => e.ratable !== null;

/** The level chosen earlier in the flow (flow validation makes sure one was). */
const levelOf = (data: FlowData): RatingLevel => (isRatingLevel(data.level) ? data.level : 2);

export const findErrandToRate: ActionSpec = {
  outcomes: { found: ['errandId', 'ratingRound'], none: [] },
  run({ data, ctx }) {
    const wanted = typeof data.errandId === 'number' ? ctx.myErrands.find((e) => e.id === data.errandId && ratable(e)) : undefined;
    const errand = wanted ?? ctx.myErrands.find(ratable);
    if (!errand?.ratable) return { outcome: 'none' };
    return { outcome: 'found', set: { errandId: errand.id, ratingRound: errand.ratable } };
  },
};

function rate(data: FlowData, level: RatingLevel, reasonKind: RatingReason | null, reason: string | null, outcome: string): ActionResult {
  return {
    outcome,
    set: { reasonKind },
    effects: [
      {
        kind: 'rate_errand',
        errandId: Number(data.errandId),
        round: data.ratingRound === 'rectification' ? 'rectification' : 'first',
        level,
        reasonKind,
        reason,
      },
    ],
  };
}

/** One action per numbered option: the level chosen (5 非常满意 … 1 非常不满意). */
export function chooseLevel(level: RatingLevel): ActionSpec {
  return { outcomes: { done: ['level'] }, run: () => ({ outcome: 'done', set: { level } }) };
}

/** Any other answer: stars, words, thumbs ("五星好评", "挺好的", "差评", 👍); unclear answers are asked again. */
export const readRating: ActionSpec = {
  outcomes: { read: ['level'], unclear: [] },
  run({ text }) {
    const level = readRatingLevel(text ?? '');
    return level === null ? { outcome: 'unclear' } : { outcome: 'read', set: { level } };
  },
};

/** A good level (5, 4, 3) is recorded at once; a bad one (2, 1) waits until the resident says why. */
export const judgeRating: ActionSpec = {
  outcomes: { good: ['reasonKind'], bad: [] },
  run({ data }) {
    const level = levelOf(data);
    return isBadLevel(level) ? { outcome: 'bad' } : rate(data, level, null, null, 'good');
  },
};

/** One action per reason option (办错了, 太慢…). */
export function badReason(kind: RatingReason): ActionSpec {
  return { outcomes: { done: ['reasonKind'] }, run: ({ data }) => rate(data, levelOf(data), kind, null, 'done') };
}

/** A reason in the resident's own words; "办错了" and the like count as a work error. */
export const takeRatingReason: ActionSpec = {
  outcomes: { ok: ['reasonKind'] },
  run({ text, data }) {
    const reason = clip((text ?? '').trim(), MAX_REASON);
    const workError = /办错|弄错|搞错|错了|工作失误|失误/.test(reason);
    return rate(data, levelOf(data), workError ? 'work_error' : 'other', reason, 'ok');
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
