import { describe, expect, it } from 'vitest';
import { findReceiptNo, formatReceiptNo, parseReceiptNo } from '../../src/domain/receipt-number.ts';
import { maskName, maskPhone } from '../../src/domain/masking.ts';

describe('receipt numbers', () => {
  it('are DB, the Shanghai date and a daily sequence', () => {
    expect(formatReceiptNo('2026-12-01', 7)).toBe('DB261201007');
    expect(formatReceiptNo('2026-12-01', 1234)).toBe('DB2612011234');
  });

  it.each([
    ['DB261201007', 'DB261201007'],
    ['db261201007', 'DB261201007'],
    ['DB 261201-007', 'DB261201007'],
    ['261201007', 'DB261201007'],
    ['２６１２０１００７', 'DB261201007'],
    ['DB2612011234', 'DB2612011234'],
    ['13812345678', null],
    ['DB261301007', null],
    ['12345', null],
    ['', null],
  ])('reads %j as %j', (raw, want) => {
    expect(parseReceiptNo(raw)).toBe(want);
  });

  it('finds one inside a sentence but never a phone number', () => {
    expect(findReceiptNo('查询 DB261201007 谢谢')).toBe('DB261201007');
    expect(findReceiptNo('我电话13812345678，回执261201002')).toBe('DB261201002');
    expect(findReceiptNo('我电话13812345678')).toBeNull();
  });
});

describe('masking for group chats', () => {
  it.each([
    ['张秀花', '张*花'],
    ['刘芳', '刘*'],
    ['欧阳小花', '欧**花'],
    ['王', '*'],
  ])('masks the name %s as %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('masks phone numbers', () => {
    expect(maskPhone('13800000001')).toBe('138****0001');
    expect(maskPhone('12')).toBe('****');
  });
});
