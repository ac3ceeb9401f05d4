import { describe, expect, it } from 'vitest';
import { errandInRoom, grantsInRoom } from '../../src/app/commands/room-scope.ts';
import { roomVars } from '../../src/app/room-privacy.ts';
import { maskNamesIn } from '../../src/domain/masking.ts';
import type { RoleGrant } from '../../src/domain/roles.ts';

describe('maskNamesIn', () => {
  it('masks every occurrence of each full name, longest first', () => {
    expect(maskNamesIn('已为张秀花登记；张秀花的母亲欧阳小花', ['张秀花', '欧阳小花', '欧阳'])).toBe('已为张*花登记；张*花的母亲欧**花');
  });
  it('leaves texts without those names alone, and ignores one-letter or empty names', () => {
    expect(maskNamesIn('DB261201001 已收件', ['张秀花', '张', ''])).toBe('DB261201001 已收件');
  });
});

describe('roomVars', () => {
  it('masks the resident’s and the beneficiary’s names and drops the phone', () => {
    expect(roomVars({ residentName: '王小军', beneficiaryName: '王秀英', forWhom: '母亲 王秀英', residentPhone: '13900000012', receiptNo: 'DB1' })).toEqual({
      residentName: '王*军',
      beneficiaryName: '王*英',
      forWhom: '母亲 王*英',
      residentPhone: null,
      receiptNo: 'DB1',
    });
  });
});

describe('roomVars for a family member', () => {
  it('drops the family member’s phone and whereabouts and masks exactly their name', () => {
    const vars = roomVars({
      forWhom: '父亲 王德明',
      beneficiaryName: '王德明',
      beneficiaryPhone: '13900000031',
      beneficiaryWhereabouts: '石桥村2组大院子',
      residentPhone: '13900000012',
    });
    expect(vars).toEqual({ forWhom: '父亲 王*明', beneficiaryName: '王*明', beneficiaryPhone: null, beneficiaryWhereabouts: null, residentPhone: null });
  });
  it('leaves a child not yet named as its relation (nothing to mask)', () => {
    expect(roomVars({ forWhom: '孩子', beneficiaryName: null })).toEqual({ forWhom: '孩子', beneficiaryName: null });
  });
});

describe('grantsInRoom', () => {
  const grants: RoleGrant[] = [
    { role: 'agent', villageCode: 'qs-sq', townshipCode: null },
    { role: 'collector', villageCode: 'qs-bh', townshipCode: null },
    { role: 'centre_staff', villageCode: null, townshipCode: 'qs' },
    { role: 'resident', villageCode: 'qs-sq', townshipCode: null },
  ];
  it('keeps in a village group only what covers that village', () => {
    expect(grantsInRoom(grants, { villages: ['qs-sq'], townshipCode: 'qs' }).map((g) => g.role)).toEqual(['agent', 'centre_staff']);
    expect(grantsInRoom(grants, { villages: ['qs-bh'], townshipCode: 'qs' }).map((g) => g.role)).toEqual(['collector', 'centre_staff']);
    expect(grantsInRoom(grants, { villages: ['hs-x'], townshipCode: 'hs' })).toEqual([]);
  });
  it('keeps county-wide roles anywhere', () => {
    expect(grantsInRoom([{ role: 'supervisor', villageCode: null, townshipCode: null }], { villages: ['hs-x'], townshipCode: 'hs' })).toHaveLength(1);
  });
  it('places an errand by its village', () => {
    expect(errandInRoom({ villages: ['qs-sq', 'qs-bh'], townshipCode: 'qs' }, { villageCode: 'qs-bh' })).toBe(true);
    expect(errandInRoom({ villages: ['qs-sq'], townshipCode: 'qs' }, { villageCode: 'qs-bh' })).toBe(false);
  });
});
