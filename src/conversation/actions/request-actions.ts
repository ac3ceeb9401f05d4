import type { CategoryCode } from '../../catalog/catalog-schema.ts';
import type { ItemMatch } from '../../catalog/item-matcher.ts';
import type { ActionResult, ActionSpec } from '../action-spec.ts';
import { beneficiaryOf } from './beneficiary-actions.ts';
import { dataText, type FlowData } from '../conversation-state.ts';
import type { FlowContext } from '../flow-context.ts';

/**
 * Requesting an errand: from words to an item (asking when unsure), self-service advice, for whom,
 * consent, and the errand itself.
 */

/** A match this good, and this far ahead of the next, goes straight to the service guide. */
export const SURE_SCORE = 0.55;
export const SURE_GAP = 0.1;
const MAX_CANDIDATES = 4;

function classify(matches: readonly ItemMatch[]): ActionResult {
  const [top, second] = matches;
  if (!top) return { outcome: 'none' };
  if (top.score >= SURE_SCORE && top.score - (second?.score ?? 0) >= SURE_GAP) {
    return { outcome: 'sure', set: { itemId: top.id } };
  }
  return { outcome: 'unsure', set: { candidates: matches.slice(0, MAX_CANDIDATES).map((m) => ({ value: m.id, label: m.name })) } };
}

const itemOutcomes = { sure: ['itemId'], unsure: ['candidates'], none: [] } as const;

export const matchInitialText: ActionSpec = {
  outcomes: { ...itemOutcomes, no_text: [] },
  run({ data, ctx }) {
    const text = typeof data.initialText === 'string' ? data.initialText : '';
    if (!text.trim()) return { outcome: 'no_text' };
    return classify(ctx.matcher.match(text));
  },
};

export const matchItem: ActionSpec = {
  outcomes: itemOutcomes,
  run({ text, ctx }) {
    return classify(ctx.matcher.match(text ?? ''));
  },
};

export const listCategories: ActionSpec = {
  outcomes: { listed: ['categoryChoices'] },
  run({ ctx }) {
    const offered = ctx.catalog.categories.filter((c) => ctx.catalog.inCategory(c.code).length > 0);
    return { outcome: 'listed', set: { categoryChoices: offered.map((c) => ({ value: c.code, label: c.name })) } };
  },
};

export const listCategoryItems: ActionSpec = {
  outcomes: { listed: ['itemChoices', 'categoryName'] },
  run({ data, ctx }) {
    const code = dataText(data.category) as CategoryCode;
    const items = ctx.catalog.inCategory(code).map((i) => ({ value: i.id, label: i.name }));
    return { outcome: 'listed', set: { itemChoices: items, categoryName: ctx.catalog.categoryName(code) } };
  },
};

/** Self-service is suggested only where the item allows it and the resident has no priority. */
export const checkSelfService: ActionSpec = {
  outcomes: { advise: [], skip: [] },
  run({ data, ctx }) {
    const item = ctx.catalog.get(dataText(data.itemId));
    const advise = Boolean(item?.selfService.available && item.selfService.how) && !ctx.person?.priority;
    return { outcome: advise ? 'advise' : 'skip' };
  },
};

export const checkPrivacy: ActionSpec = {
  outcomes: { needed: [], not_needed: ['privacyConsent'] },
  run({ data, ctx }) {
    const item = ctx.catalog.get(dataText(data.itemId));
    return item?.privacySensitive ? { outcome: 'needed' } : { outcome: 'not_needed', set: { privacyConsent: null } };
  },
};

export const givePrivacyConsent: ActionSpec = {
  outcomes: { done: ['privacyConsent'] },
  run: () => ({ outcome: 'done', set: { privacyConsent: true } }),
};

export const createErrand: ActionSpec = {
  outcomes: { done: [] },
  results: ['receiptNo'],
  run({ data }: { data: FlowData; ctx: FlowContext }) {
    const privacyConsent = typeof data.privacyConsent === 'boolean' ? data.privacyConsent : null;
    return {
      outcome: 'done',
      effects: [{ kind: 'create_errand', itemId: dataText(data.itemId), beneficiary: beneficiaryOf(data), privacyConsent }],
    };
  },
};
