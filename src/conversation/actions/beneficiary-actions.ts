import { ageGroups, guardianSigns, storedAgeGroup, type AgeGroup, type Beneficiary } from '../../domain/beneficiary.ts';
import { compactText } from '../../text/normalise.ts';
import type { ActionResult, ActionSpec } from '../action-spec.ts';
import { dataText, type FlowData, type Json } from '../conversation-state.ts';
import { ageOfItem, ageOfRelation, readAgeGroup, readForWhom, readRelation, saysUnnamed, type Relation, type RelationGroup } from '../family-reading.ts';

/**
 * 给谁办 → the beneficiary as a person: relation (read by meaning), name or "not yet named", age
 * group (inferred where clear, else one question), and for an adult family member their phone and
 * where to find them. Every path into the entrustment sets the same keys (BENEFICIARY_KEYS).
 */

export const BENEFICIARY_KEYS = [
  'beneficiary',
  'forWhom',
  'beneficiaryName',
  'relation',
  'ageGroup',
  'guardianSigns',
  'beneficiaryPhone',
  'beneficiaryWhereabouts',
] as const;

/** The flow data (and template variables) of a beneficiary: for the entrustment, summary and notices. */
export function beneficiaryData(b: Beneficiary): FlowData {
  if (b.kind === 'self') {
    return {
      beneficiary: { kind: 'self' },
      forWhom: 'self',
      beneficiaryName: null,
      relation: null,
      ageGroup: null,
      guardianSigns: false,
      beneficiaryPhone: null,
      beneficiaryWhereabouts: null,
    };
  }
  const beneficiary: Json = { kind: 'family', name: b.name, relation: b.relation, ageGroup: b.ageGroup, phone: b.phone, whereabouts: b.whereabouts };
  return {
    beneficiary,
    forWhom: 'family',
    beneficiaryName: b.name,
    relation: b.relation,
    ageGroup: b.ageGroup,
    guardianSigns: guardianSigns(b.ageGroup),
    beneficiaryPhone: b.phone,
    beneficiaryWhereabouts: b.whereabouts,
  };
}

/** The beneficiary a flow's data describes (self unless a complete family record is there). */
export function beneficiaryOf(data: FlowData): Beneficiary {
  const b = data.beneficiary;
  if (!b || typeof b !== 'object' || Array.isArray(b) || b.kind !== 'family' || typeof b.relation !== 'string') return { kind: 'self' };
  const text = (v: Json | undefined) => (typeof v === 'string' && v ? v : null);
  return {
    kind: 'family',
    name: text(b.name),
    relation: b.relation,
    ageGroup: storedAgeGroup(b.ageGroup),
    phone: text(b.phone),
    whereabouts: text(b.whereabouts),
  };
}

const familyStart = (relation: Relation | null): FlowData => ({
  forWhom: 'family',
  relation: relation?.relation ?? null,
  relationGroup: relation?.group ?? 'unknown',
  beneficiaryName: null,
  beneficiaryUnnamed: false,
  ageGroup: null,
  beneficiaryPhone: null,
  beneficiaryWhereabouts: null,
});
const FAMILY_START_KEYS = [
  'forWhom',
  'relation',
  'relationGroup',
  'beneficiaryName',
  'beneficiaryUnnamed',
  'ageGroup',
  'beneficiaryPhone',
  'beneficiaryWhereabouts',
];

export const chooseSelf: ActionSpec = {
  outcomes: { done: [...BENEFICIARY_KEYS] },
  run: () => ({ outcome: 'done', set: beneficiaryData({ kind: 'self' }) }),
};

export const chooseFamily: ActionSpec = {
  outcomes: { done: FAMILY_START_KEYS },
  run: () => ({ outcome: 'done', set: familyStart(null) }),
};

/**
 * A request that already said for whom ("帮我妈办高龄津贴", "给我娃儿上户口", "我老汉儿叫我帮他办") is not
 * asked 给谁办 again. Only a relation said with 给/帮/替 counts: "我妈说…" alone may be the resident's own errand.
 */
export const readForWhomInRequest: ActionSpec = {
  outcomes: { told: FAMILY_START_KEYS, ask: [] },
  run({ data }) {
    const text = compactText(dataText(data.initialText));
    if (!/[给帮替]/.test(text)) return { outcome: 'ask' };
    const read = readForWhom(text);
    if (!read || read.kind !== 'family' || !read.relation) return { outcome: 'ask' };
    return { outcome: 'told', set: familyStart(read.relation) };
  },
};

/** 给谁办 in words: "给我娃儿办" is family and the relation at once; "我自己" is self. */
export const readForWhomText: ActionSpec = {
  outcomes: { self: [...BENEFICIARY_KEYS], family: FAMILY_START_KEYS, relative: FAMILY_START_KEYS, invalid: [] },
  run({ text }) {
    const read = readForWhom(text ?? '');
    if (!read) return { outcome: 'invalid' };
    if (read.kind === 'self') return { outcome: 'self', set: beneficiaryData({ kind: 'self' }) };
    return { outcome: read.relation ? 'relative' : 'family', set: familyStart(read.relation) };
  },
};

const BENEFICIARY_NAME_RE = /^[\p{Script=Han}A-Za-z·• ]{2,20}$/u;

/** Only a child (a newborn) may be not yet named; a parent or a spouse has a name. */
const GROWN_UPS: readonly string[] = ['parent', 'spouse', 'grandparent', 'elder', 'sibling'] satisfies RelationGroup[];

/** The family member's name; "还没取名字" and the like mean not yet named, never a name. */
export const takeBeneficiaryName: ActionSpec = {
  outcomes: { ok: ['beneficiaryName', 'beneficiaryUnnamed'], unnamed: ['beneficiaryName', 'beneficiaryUnnamed'], invalid: [] },
  run({ text, data }) {
    if (saysUnnamed(text ?? '')) {
      if (GROWN_UPS.includes(dataText(data.relationGroup))) return { outcome: 'invalid' };
      return { outcome: 'unnamed', set: { beneficiaryName: null, beneficiaryUnnamed: true } };
    }
    const name = (text ?? '')
      .normalize('NFKC')
      .trim()
      .replace(/^(?:叫|名字叫|他叫|她叫|名字是)/, '')
      .trim();
    if (!BENEFICIARY_NAME_RE.test(name) || findsNoName(name)) return { outcome: 'invalid' };
    return { outcome: 'ok', set: { beneficiaryName: name, beneficiaryUnnamed: false } };
  },
};

/** Answers that are clearly not a name ("不知道", "名字") are asked again. */
function findsNoName(name: string): boolean {
  return /^(?:不知道|不晓得|名字|姓名|没有|没得|不清楚)$/.test(compactText(name));
}

export const checkRelationKnown: ActionSpec = {
  outcomes: { known: [], unknown: [] },
  run: ({ data }) => ({ outcome: dataText(data.relation) ? 'known' : 'unknown' }),
};

export const takeRelation: ActionSpec = {
  outcomes: { ok: ['relation', 'relationGroup'], invalid: [] },
  run({ text }) {
    const relation = readRelation(text ?? '');
    if (!relation) return { outcome: 'invalid' };
    return { outcome: 'ok', set: { relation: relation.relation, relationGroup: relation.group } };
  },
};

/** One action per relation option keeps the flow file readable (1 父母, 2 配偶, …). */
export function relationOption(relation: string, group: RelationGroup): ActionSpec {
  return {
    outcomes: { ok: ['relation', 'relationGroup'] },
    run: () => ({ outcome: 'ok', set: { relation, relationGroup: group } }),
  };
}

/** The age group where it is clear (not yet named, a newborn's item, a grandchild, a grandparent); otherwise ask. */
export const inferAgeGroup: ActionSpec = {
  outcomes: { known: ['ageGroup'], ask: [] },
  run({ data, ctx }) {
    const group = dataText(data.relationGroup) as RelationGroup;
    const item = ctx.catalog.get(dataText(data.itemId));
    const itemAge = item ? ageOfItem(item) : null;
    const young = group === 'child' || group === 'grandchild' || group === 'other';
    let age: AgeGroup | null = null;
    if (data.beneficiaryUnnamed === true) age = 'newborn';
    else if (itemAge === 'newborn' && young) age = 'newborn';
    else if (itemAge === 'elderly' && !young) age = 'elderly';
    else age = ageOfRelation(group, dataText(data.relation));
    return age ? { outcome: 'known', set: { ageGroup: age } } : { outcome: 'ask' };
  },
};

export const takeAgeGroup: ActionSpec = {
  outcomes: { ok: ['ageGroup'], invalid: [] },
  run({ text }) {
    const age = readAgeGroup(text ?? '');
    return age ? { outcome: 'ok', set: { ageGroup: age } } : { outcome: 'invalid' };
  },
};

export function ageGroupOption(age: AgeGroup): ActionSpec {
  return { outcomes: { ok: ['ageGroup'] }, run: () => ({ outcome: 'ok', set: { ageGroup: age } }) };
}

/** A minor's guardian signs in chat; an adult family member is visited, so the agent needs their contact. */
export const checkSignature: ActionSpec = {
  outcomes: { guardian: [], visit: [] },
  run({ data }) {
    const age = ageGroups.includes(data.ageGroup as AgeGroup) ? (data.ageGroup as AgeGroup) : 'adult';
    return { outcome: guardianSigns(age) ? 'guardian' : 'visit' };
  },
};

const PHONE_RE = /^1[3-9]\d{9}$/;

/** The family member's own phone; "没有手机", "他不会用手机" skip it. */
export const takeBeneficiaryPhone: ActionSpec = {
  outcomes: { ok: ['beneficiaryPhone'], skipped: ['beneficiaryPhone'], invalid: [] },
  run({ text }) {
    const t = compactText(text ?? '');
    if (/没有|没得|莫得|不会用|不用手机|不晓得|不知道|记不得|跳过|^无$/.test(t)) return { outcome: 'skipped', set: { beneficiaryPhone: null } };
    const digits = t.replace(/^\+?86/, '');
    return PHONE_RE.test(digits) ? { outcome: 'ok', set: { beneficiaryPhone: digits } } : { outcome: 'invalid' };
  },
};

/** Where the agent finds them, in the resident's words ("在村里屋头", "跟我住", "3组王家湾"). */
export const takeWhereabouts: ActionSpec = {
  outcomes: { ok: ['beneficiaryWhereabouts'], invalid: [] },
  run({ text }) {
    // Kept as written (full-width punctuation too): it is read by the agent, not matched.
    const said = (text ?? '')
      .replace(/\s+/gu, ' ')
      .trim()
      .replace(/[。.!！]+$/u, '');
    if (!/[\p{Script=Han}A-Za-z0-9]/u.test(said) || [...said].length > 40) return { outcome: 'invalid' };
    return { outcome: 'ok', set: { beneficiaryWhereabouts: said } };
  },
};

/** The family record, complete: what the entrustment, the summary and the errand read. */
export const settleBeneficiary: ActionSpec = {
  outcomes: { done: [...BENEFICIARY_KEYS] },
  run({ data }): ActionResult {
    const ageGroup = storedAgeGroup(data.ageGroup);
    const adult = !guardianSigns(ageGroup);
    const name = dataText(data.beneficiaryName);
    return {
      outcome: 'done',
      set: beneficiaryData({
        kind: 'family',
        name: name || null,
        relation: dataText(data.relation),
        ageGroup,
        phone: adult ? dataText(data.beneficiaryPhone) || null : null,
        whereabouts: adult ? dataText(data.beneficiaryWhereabouts) || null : null,
      }),
    };
  },
};
