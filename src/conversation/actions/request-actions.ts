import type { CategoryCode } from '../../catalog/catalog-schema.ts';
import type { ItemMatch } from '../../catalog/item-matcher.ts';
import { situationFromWords } from '../../catalog/item-situations.ts';
import { isSelfServiceExempt } from '../../domain/roles.ts';
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

function classify(matches: readonly ItemMatch[], words: string): ActionResult {
  const [top, second] = matches;
  if (!top) return { outcome: 'none' };
  if (top.score >= SURE_SCORE && top.score - (second?.score ?? 0) >= SURE_GAP) {
    return { outcome: 'sure', set: { itemId: top.id, itemWords: words } };
  }
  return { outcome: 'unsure', set: { candidates: candidatesOf(matches), itemWords: words } };
}

function candidatesOf(matches: readonly ItemMatch[]): FlowData['candidates'] {
  return matches.slice(0, MAX_CANDIDATES).map((m) => ({ value: m.id, label: m.name }));
}

/** Items the resident said were not it ("不是这件事"): never offered again in this request. */
function rejectedOf(data: FlowData): Set<string> {
  return new Set(Array.isArray(data.rejectedItems) ? data.rejectedItems.filter((v): v is string => typeof v === 'string') : []);
}

function matchesFor(ctx: FlowContext, words: string, rejected: ReadonlySet<string>): ItemMatch[] {
  return ctx.matcher.match(words, MAX_CANDIDATES + rejected.size + 1).filter((m) => !rejected.has(m.id));
}

const itemOutcomes = { sure: ['itemId', 'itemWords'], unsure: ['candidates', 'itemWords'], none: [] } as const;

/**
 * The words the request started with; after "不是这件事", the same words again without the items turned down:
 * the next-best matches are offered as a numbered list (0 browses the categories), never a sure pick.
 */
export const matchInitialText: ActionSpec = {
  outcomes: { ...itemOutcomes, no_text: [] },
  run({ data, ctx }) {
    const rejected = rejectedOf(data);
    const text = dataText(data.itemWords) || dataText(data.initialText);
    if (!text.trim()) return { outcome: 'no_text' };
    const matches = matchesFor(ctx, text, rejected);
    if (rejected.size === 0) return classify(matches, text);
    return matches.length ? { outcome: 'unsure', set: { candidates: candidatesOf(matches), itemWords: text } } : { outcome: 'no_text' };
  },
};

export const matchItem: ActionSpec = {
  outcomes: itemOutcomes,
  run({ text, data, ctx }) {
    return classify(matchesFor(ctx, text ?? '', rejectedOf(data)), text ?? '');
  },
};

export const rejectItem: ActionSpec = {
  outcomes: { done: ['rejectedItems', 'situation'] },
  run({ data }) {
    const rejected = rejectedOf(data);
    const itemId = dataText(data.itemId);
    if (itemId) rejected.add(itemId);
    return { outcome: 'done', set: { rejectedItems: [...rejected], situation: null } };
  },
};

/** "都不是" to a list of candidates turns them all down: they are not offered again. */
export const rejectCandidates: ActionSpec = {
  outcomes: { done: ['rejectedItems'] },
  run({ data }) {
    const rejected = rejectedOf(data);
    for (const c of Array.isArray(data.candidates) ? data.candidates : []) {
      if (c && typeof c === 'object' && !Array.isArray(c) && typeof c.value === 'string') rejected.add(c.value);
    }
    return { outcome: 'done', set: { rejectedItems: [...rejected] } };
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

/**
 * The item's situation (first card, lost, damaged…) from the words the request was made in, when they tell
 * it; otherwise the choices to ask about (the item's materials depend on it).
 */
export const inferSituation: ActionSpec = {
  outcomes: { done: ['situation', 'situationChoices'] },
  run({ data, ctx }) {
    const item = ctx.catalog.get(dataText(data.itemId));
    if (!item || item.situations.length === 0) return { outcome: 'done', set: { situation: null, situationChoices: [] } };
    const words = dataText(data.itemWords) || dataText(data.initialText);
    const situationChoices = item.situations.map((s) => ({ value: s.id, label: s.label }));
    return { outcome: 'done', set: { situation: situationFromWords(item, words), situationChoices } };
  },
};

export const matchSituation: ActionSpec = {
  outcomes: { found: ['situation'], none: [] },
  run({ text, data, ctx }) {
    const item = ctx.catalog.get(dataText(data.itemId));
    const situation = item ? situationFromWords(item, text ?? '') : null;
    return situation ? { outcome: 'found', set: { situation } } : { outcome: 'none' };
  },
};

/**
 * Before anything else, an item whose materials depend on the resident's situation needs it known. Then
 * self-service is suggested only where the item allows it and the resident is not exempt (priority, migrant).
 */
export const checkSelfService: ActionSpec = {
  outcomes: { ask_situation: [], advise: [], skip: [] },
  run({ data, ctx }) {
    const item = ctx.catalog.get(dataText(data.itemId));
    if (item && item.situations.length > 0 && !item.situations.some((s) => s.id === data.situation)) return { outcome: 'ask_situation' };
    const advise = Boolean(item?.selfService.available && item.selfService.how) && !isSelfServiceExempt(ctx.person);
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
      effects: [
        {
          kind: 'create_errand',
          itemId: dataText(data.itemId),
          beneficiary: beneficiaryOf(data),
          privacyConsent,
          ...(typeof data.situation === 'string' && data.situation ? { situation: data.situation } : {}),
        },
      ],
    };
  },
};
