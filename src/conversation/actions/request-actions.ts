import type { CategoryCode } from '../../catalog/catalog-schema.ts';
import type { ItemMatch } from '../../catalog/item-matcher.ts';
import { normaliseText } from '../../text/normalise.ts';
import type { ActionResult, ActionSpec } from '../action-spec.ts';
import { dataText, type FlowData } from '../conversation-state.ts';
import type { Beneficiary } from '../effects.ts';
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

function selfBeneficiary(): FlowData {
  return { beneficiary: { kind: 'self' }, forWhom: 'self', beneficiaryName: null, relation: null };
}

export const chooseSelf: ActionSpec = {
  outcomes: { done: ['beneficiary', 'forWhom', 'beneficiaryName', 'relation'] },
  run() {
    return { outcome: 'done', set: selfBeneficiary() };
  },
};

const BENEFICIARY_NAME_RE = /^[\p{Script=Han}A-Za-z·• ]{2,20}$/u;

export const takeBeneficiaryName: ActionSpec = {
  outcomes: { ok: ['beneficiaryName'], invalid: [] },
  run({ text }) {
    const name = (text ?? '')
      .normalize('NFKC')
      .trim()
      .replace(/^(?:叫|名字叫|他叫|她叫)/, '')
      .trim();
    if (!BENEFICIARY_NAME_RE.test(name)) return { outcome: 'invalid' };
    return { outcome: 'ok', set: { beneficiaryName: name } };
  },
};

export const takeRelation: ActionSpec = {
  outcomes: { ok: ['relation', 'beneficiary', 'forWhom'], invalid: [] },
  run({ text, data }) {
    const relation = normaliseText(text ?? '').replace(/^(?:是|是我的|我的)/, '');
    if ([...relation].length < 1 || [...relation].length > 10 || !/^[\p{Script=Han}A-Za-z]+$/u.test(relation)) return { outcome: 'invalid' };
    return relationResult(dataText(data.beneficiaryName), relation);
  },
};

function relationResult(name: string, relation: string): ActionResult {
  const beneficiary: Beneficiary = { kind: 'family', name, relation };
  return { outcome: 'ok', set: { relation, beneficiary, forWhom: 'family' } };
}

/** One action per relation option keeps the flow file readable (1 父母, 2 配偶, …). */
export function relationOption(relation: string): ActionSpec {
  return {
    outcomes: { ok: ['relation', 'beneficiary', 'forWhom'] },
    run: ({ data }) => relationResult(dataText(data.beneficiaryName), relation),
  };
}

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

function beneficiaryOf(data: FlowData): Beneficiary {
  const b = data.beneficiary;
  if (b && typeof b === 'object' && !Array.isArray(b) && b.kind === 'family' && typeof b.name === 'string' && typeof b.relation === 'string') {
    return { kind: 'family', name: b.name, relation: b.relation };
  }
  return { kind: 'self' };
}

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
