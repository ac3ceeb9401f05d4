import { inferAgeGroup, takeBeneficiaryName, takeBeneficiaryPhone, takeRelation, takeWhereabouts } from '../../conversation/actions/beneficiary-actions.ts';
import type { FlowContext } from '../../conversation/flow-context.ts';
import { ageGroups, guardianSigns, type AgeGroup, type Beneficiary } from '../../domain/beneficiary.ts';

/**
 * The family member of a mini-program form, checked by the chat's own actions: the name (or not yet
 * named), the relation, the age group (given, or inferred as the chat does), and for an adult the
 * optional phone and whereabouts. Fields left out mean what they meant before (an adult, no contact).
 */

export interface FamilyMemberForm {
  /** Left out, or words like 还没取名: not yet named (a newborn only). */
  name?: string | undefined;
  relation: string;
  ageGroup?: AgeGroup | undefined;
  phone?: string | undefined;
  whereabouts?: string | undefined;
}

const textOf = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

export function checkFamilyMember(form: FamilyMemberForm, itemId: string, ctx: FlowContext, problems: string[]): Beneficiary | null {
  const before = problems.length;
  const relation = takeRelation.run({ text: form.relation, data: {}, ctx });
  if (relation.outcome !== 'ok') problems.push('beneficiary.relation: 1–10 letters, e.g. 母亲');
  // Left out means not yet named, read as the chat reads "还没取名".
  const named = takeBeneficiaryName.run({ text: form.name ?? '还没取名', data: { relationGroup: relation.set?.relationGroup ?? null }, ctx });
  if (named.outcome === 'invalid')
    problems.push('beneficiary.name: 2–20 Chinese or Latin letters; only a newborn may be left not yet named (name left out, or 还没取名)');
  const name = named.outcome === 'ok' ? textOf(named.set?.beneficiaryName) : null;
  let ageGroup: AgeGroup = 'adult';
  if (form.ageGroup !== undefined) {
    if (!ageGroups.includes(form.ageGroup)) problems.push(`beneficiary.ageGroup: one of ${ageGroups.join(', ')}`);
    else ageGroup = form.ageGroup;
  } else if (relation.outcome === 'ok') {
    const data = { itemId, relation: relation.set?.relation ?? null, relationGroup: relation.set?.relationGroup ?? null, beneficiaryUnnamed: name === null };
    const inferred = inferAgeGroup.run({ text: null, data, ctx });
    if (inferred.outcome === 'known' && typeof inferred.set?.ageGroup === 'string') ageGroup = inferred.set.ageGroup as AgeGroup;
  }
  if (name === null && named.outcome !== 'invalid' && ageGroup !== 'newborn') problems.push('beneficiary.name: only a newborn may be not yet named');
  const adult = !guardianSigns(ageGroup);
  let phone: string | null = null;
  let whereabouts: string | null = null;
  if (form.phone !== undefined) {
    const taken = takeBeneficiaryPhone.run({ text: form.phone, data: {}, ctx });
    if (!adult) problems.push('beneficiary.phone: only for an adult family member (a minor is reached through you)');
    else if (taken.outcome === 'invalid') problems.push('beneficiary.phone: a mobile number of 11 digits, or 没有');
    else phone = textOf(taken.set?.beneficiaryPhone);
  }
  if (form.whereabouts !== undefined) {
    const taken = takeWhereabouts.run({ text: form.whereabouts, data: {}, ctx });
    if (!adult) problems.push('beneficiary.whereabouts: only for an adult family member');
    else if (taken.outcome !== 'ok') problems.push('beneficiary.whereabouts: up to 40 characters, e.g. 石桥村3组屋头');
    else whereabouts = textOf(taken.set?.beneficiaryWhereabouts);
  }
  if (problems.length > before || relation.outcome !== 'ok') return null;
  return { kind: 'family', name, relation: textOf(relation.set?.relation) ?? '', ageGroup, phone, whereabouts };
}
