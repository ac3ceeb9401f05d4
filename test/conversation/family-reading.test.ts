import { describe, expect, it } from 'vitest';
import { ageOfItem, findRelation, readAgeGroup, readForWhom, readRelation, saysUnnamed } from '../../src/conversation/family-reading.ts';
import { testCatalog } from '../support/fake-flow-context.ts';

describe('给谁办 read by meaning', () => {
  it.each([
    ['给我娃儿办', '孩子', 'child'],
    ['帮我妈办', '母亲', 'parent'],
    ['我老汉儿的', '父亲', 'parent'],
    ['给屋头老人办', '家里老人', 'elder'],
    ['给孙子上户口', '孙子', 'grandchild'],
    ['给我外孙女办', '外孙女', 'grandchild'],
    ['帮我姑娘办', '女儿', 'child'],
    ['我幺儿', '儿子', 'child'],
  ])('"%s" is family, relation %s, at once', (text, relation, group) => {
    expect(readForWhom(text)).toEqual({ kind: 'family', relation: { relation, group } });
  });
  it('"我自己", "给我办" and "本人" are self; "家里人" is family without a relation; nonsense is nothing', () => {
    expect(readForWhom('我自己的')).toEqual({ kind: 'self' });
    expect(readForWhom('给我办')).toEqual({ kind: 'self' });
    expect(readForWhom('本人')).toEqual({ kind: 'self' });
    expect(readForWhom('屋头人')).toEqual({ kind: 'family', relation: null });
    expect(readForWhom('今天天气好')).toBeNull();
  });
});

describe('relations, dialect included', () => {
  it('maps dialect words to plain ones and keeps a word with two meanings', () => {
    expect(readRelation('老汉儿')?.relation).toBe('父亲');
    expect(readRelation('老娘')?.relation).toBe('母亲');
    expect(readRelation('崽')?.relation).toBe('儿子');
    expect(readRelation('闺女')?.relation).toBe('女儿');
    // 婆婆: grandmother, or mother-in-law — the word itself is kept.
    expect(readRelation('婆婆')).toEqual({ relation: '婆婆', group: 'elder' });
  });
  it('takes the longest word (姑娘 is a daughter, not 娘) and a short unknown word as said', () => {
    expect(findRelation('是我姑娘')?.relation).toBe('女儿');
    expect(readRelation('是我的舅妈')).toEqual({ relation: '舅妈', group: 'other' });
    expect(readRelation('123')).toBeNull();
  });
});

describe('not yet named', () => {
  it.each(['还没取名字', '还没起名', '没取名', '名字还没定', '还没有名字'])('"%s" is not a name', (text) => {
    expect(saysUnnamed(text)).toBe(true);
  });
  it('a real name is not "unnamed"', () => {
    expect(saysUnnamed('王小宝')).toBe(false);
    expect(saysUnnamed('王名')).toBe(false);
  });
});

describe('age in words', () => {
  it.each([
    ['刚生的', 'newborn'],
    ['才两个月大', 'newborn'],
    ['8岁', 'minor'],
    ['读初中', 'minor'],
    ['十二岁', 'minor'],
    ['35', 'adult'],
    ['七十多了', 'elderly'],
    ['年纪大了', 'elderly'],
  ])('"%s" → %s', (text, age) => {
    expect(readAgeGroup(text)).toBe(age);
  });
  it('words without an age are nothing', () => {
    expect(readAgeGroup('不晓得')).toBeNull();
  });
});

describe('what an item says of whom it is for', () => {
  it('出生登记 is a newborn’s, 高龄津贴 an old person’s, 医疗费用报销 anyone’s', () => {
    const item = (id: string) => testCatalog.get(id) ?? { name: '', conditions: [] };
    expect(ageOfItem(item('birth-registration'))).toBe('newborn');
    expect(ageOfItem(item('old-age-allowance'))).toBe('elderly');
    expect(ageOfItem(item('resident-pension-claim'))).toBe('elderly');
    expect(ageOfItem(item('medical-expense-reimbursement'))).toBeNull();
    expect(ageOfItem(item('resident-pension-enrolment'))).toBeNull();
  });
});
