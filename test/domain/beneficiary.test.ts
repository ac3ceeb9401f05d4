import { describe, expect, it } from 'vitest';
import { guardianSigns, needsBeneficiarySignature, storedBeneficiary } from '../../src/domain/beneficiary.ts';

describe('who signs the entrustment', () => {
  it('a newborn’s or a minor’s guardian signs; an adult or elderly family member signs on paper', () => {
    expect(guardianSigns('newborn')).toBe(true);
    expect(guardianSigns('minor')).toBe(true);
    expect(guardianSigns('adult')).toBe(false);
    expect(guardianSigns('elderly')).toBe(false);
    expect(needsBeneficiarySignature({ kind: 'family', ageGroup: 'minor' })).toBe(false);
    expect(needsBeneficiarySignature({ kind: 'family', ageGroup: 'elderly' })).toBe(true);
    expect(needsBeneficiarySignature({ kind: 'self' })).toBe(false);
  });

  it('reads rows stored before age groups as adults who sign on paper', () => {
    const old = { kind: 'family', name: '王秀英', relation: '父母' };
    expect(needsBeneficiarySignature(old)).toBe(true);
    expect(storedBeneficiary(old)).toEqual({ kind: 'family', name: '王秀英', relation: '父母', ageGroup: 'adult', phone: null, whereabouts: null });
    expect(storedBeneficiary({ kind: 'self' })).toEqual({ kind: 'self' });
  });
});
