import { describe, expect, it } from 'vitest';
import { readCatalogFile } from '../../src/catalog/catalog-file.ts';
import { categoryCodes, policyCategoryCodes } from '../../src/catalog/catalog-schema.ts';

const file = readCatalogFile('data/catalog.yaml');
const byName = new Map(file.items.map((i) => [i.name, i]));

const required = [
  '城乡居民医保参保缴费',
  '医保异地就医备案',
  '门诊慢特病待遇认定',
  '医疗费用报销',
  '家庭经济困难学生资助',
  '义务教育入学/转学',
  '城乡居民养老保险参保登记',
  '养老保险待遇领取资格认证',
  '城乡居民养老保险待遇申领',
  '社会保障卡申领/补换',
  '出生登记',
  '户口迁移',
  '居民身份证申领/换领/补领',
  '死亡注销户口',
  '生育登记',
  '农村部分计划生育家庭奖励扶助',
  '出生医学证明',
  '农村危房改造',
  '农村宅基地和建房申请',
  '最低生活保障',
  '特困人员救助供养',
  '临时救助',
  '残疾人两项补贴',
  '残疾人证办理',
  '高龄津贴',
  '退役军人优待证',
  '优抚对象抚恤补助',
  '退役军人信息采集',
  '党组织关系转接',
  '农产品网上销售',
  '农业技术咨询',
  '政策咨询',
  '惠农补贴查询',
  '快递代收代寄',
];

describe('the shipped catalogue', () => {
  it('has at least 30 items over all nine policy categories and at least 4 extended services', () => {
    expect(file.items.length).toBeGreaterThanOrEqual(30);
    for (const code of policyCategoryCodes)
      expect(
        file.items.some((i) => i.category === code),
        code,
      ).toBe(true);
    const extended = file.items.filter((i) => !policyCategoryCodes.includes(i.category));
    expect(extended.length).toBeGreaterThanOrEqual(4);
    expect(file.categories.map((c) => c.code)).toEqual([...categoryCodes]);
  });

  it('contains every item the issue names', () => {
    for (const name of required) expect(byName.has(name), name).toBe(true);
  });

  it('gives each item a full service guide', () => {
    for (const item of file.items) {
      expect(item.conditions.length, item.id).toBeGreaterThan(0);
      expect(item.legalBasis.length, item.id).toBeGreaterThan(0);
      expect(item.aliases.length, item.id).toBeGreaterThan(1);
      expect(item.fee.basis.length, item.id).toBeGreaterThan(0);
      if (item.category !== 'policy_consulting' && item.category !== 'tech_support' && item.category !== 'information') {
        expect(item.materials.length, item.id).toBeGreaterThan(0);
      }
      if (item.selfService.available) expect(item.selfService.how, item.id).toBeTruthy();
    }
  });

  it('knows statutory fees (the ID card is not free) and free items', () => {
    expect(byName.get('居民身份证申领/换领/补领')?.fee.amountYuan).toBeGreaterThan(0);
    expect(byName.get('最低生活保障')?.fee.amountYuan).toBe(0);
    expect(file.items.filter((i) => i.fee.amountYuan === 0).length).toBeGreaterThan(file.items.length / 2);
  });

  it('carries old names and dialect among the aliases', () => {
    const aliases = file.items.flatMap((i) => i.aliases);
    for (const word of ['新农合', '五保'])
      expect(
        aliases.some((a) => a.includes(word)),
        word,
      ).toBe(true);
    expect(file.items.flatMap((i) => [...i.aliases, ...i.keywords]).some((a) => a.includes('娃儿'))).toBe(true);
  });

  it('marks medical, relief, disability and identity items as privacy-sensitive', () => {
    for (const name of ['门诊慢特病待遇认定', '最低生活保障', '残疾人证办理', '居民身份证申领/换领/补领'])
      expect(byName.get(name)?.privacySensitive, name).toBe(true);
    expect(byName.get('快递代收代寄')?.privacySensitive).toBe(false);
  });

  it('uses each alias for one item only', () => {
    const seen = new Map<string, string>();
    for (const item of file.items) {
      for (const alias of item.aliases) {
        expect(seen.get(alias), `${alias} in ${item.id} and ${seen.get(alias) ?? ''}`).toBeUndefined();
        seen.set(alias, item.id);
      }
    }
  });
});

describe('in-person steps and review bodies (issue 13 items 5, 6)', () => {
  const id = (itemId: string) => file.items.find((i) => i.id === itemId);

  it('marks the items whose applicant must be there, with the steps, the place and 上门 where offered', () => {
    expect(id('resident-id-card')?.inPerson).toMatchObject({ required: true, steps: ['photo', 'fingerprint'], homeVisit: true });
    expect(id('disability-certificate')?.inPerson).toMatchObject({ required: true, steps: ['assessment'], homeVisit: true });
    expect(id('social-security-card')?.inPerson.steps).toContain('presence');
    for (const item of file.items) {
      if (item.inPerson.required) expect(item.inPerson.where, item.id).toBeTruthy();
      else expect(item.inPerson.steps, item.id).toEqual([]);
    }
  });

  it('names the county review body and court, and leaves services that are no administrative decision without them', () => {
    expect(file.review).toEqual({ body: '县人民政府', court: '县人民法院' });
    expect(id('old-age-allowance')?.department.reviewable).toBe(true);
    expect(id('parcel-collection-delivery')?.department.reviewable).toBe(false);
    expect(id('party-membership-transfer')?.department.reviewable).toBe(false);
  });
});
