/**
 * Who an errand is for (办事人): the requester, or a family member as a person record — a name or
 * "not yet named" (a newborn), the relation in the requester's words, an age group, and for an adult
 * how to reach them. The age group decides who signs the entrustment: for a newborn or a minor the
 * requester signs as guardian (监护人); an adult family member signs a paper form the agent brings.
 */

export const ageGroups = ['newborn', 'minor', 'adult', 'elderly'] as const;
export type AgeGroup = (typeof ageGroups)[number];

export interface FamilyBeneficiary {
  kind: 'family';
  /** Null: not yet named (a newborn before the name is chosen). */
  name: string | null;
  relation: string;
  ageGroup: AgeGroup;
  /** An adult's own phone, when they have one (never for a minor). */
  phone: string | null;
  /** Where the agent finds an adult family member (e.g. 石桥村3组屋头, 跟我住). */
  whereabouts: string | null;
}

export type Beneficiary = { kind: 'self' } | FamilyBeneficiary;

/** A newborn's or a minor's entrustment is signed by the requester as guardian, in chat. */
export function guardianSigns(ageGroup: AgeGroup): boolean {
  return ageGroup === 'newborn' || ageGroup === 'minor';
}

/** Rows stored before age groups existed were treated as adults (the agent visits for the signature). */
export function storedAgeGroup(value: unknown): AgeGroup {
  return ageGroups.includes(value as AgeGroup) ? (value as AgeGroup) : 'adult';
}

/** Whether a family errand needs the beneficiary's own signature on paper before 收件. */
export function needsBeneficiarySignature(b: { kind: string; ageGroup?: unknown }): boolean {
  return b.kind === 'family' && !guardianSigns(storedAgeGroup(b.ageGroup));
}

/** A stored beneficiary (errands.beneficiary JSON, old rows included) as a record. */
export function storedBeneficiary(b: {
  kind: string;
  name?: string | null;
  relation?: string | null;
  ageGroup?: unknown;
  phone?: string | null;
  whereabouts?: string | null;
}): Beneficiary {
  if (b.kind !== 'family') return { kind: 'self' };
  return {
    kind: 'family',
    name: b.name || null,
    relation: b.relation ?? '',
    ageGroup: storedAgeGroup(b.ageGroup),
    phone: b.phone || null,
    whereabouts: b.whereabouts || null,
  };
}
