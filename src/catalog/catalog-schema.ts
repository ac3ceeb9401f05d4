import { z } from 'zod';

/**
 * The service guide (服务指南) of one catalogue item, as domain.md §6 lists its fields.
 * The shipped data file `data/catalog.yaml` is validated against this schema at start-up.
 */

export const categoryCodes = [
  // the nine categories of the policy
  'medical', // 医疗
  'education', // 教育
  'social_security', // 社保
  'household', // 户籍
  'health', // 卫健
  'housing', // 住建
  'relief', // 救助
  'veterans', // 退役军人
  'party', // 党组织关系转接
  // extended services (延伸服务)
  'ecommerce', // 互联网销售
  'tech_support', // 技术支持
  'policy_consulting', // 政策咨询
  'information', // 信息提供
  'logistics', // 物流快递
] as const;
export type CategoryCode = (typeof categoryCodes)[number];

export const policyCategoryCodes: readonly CategoryCode[] = categoryCodes.slice(0, 9);

const nonEmpty = z.string().trim().min(1);

export const materialSchema = z.strictObject({
  /** The material's real name, e.g. 居民户口簿. */
  name: nonEmpty,
  /** 原件 / 复印件 / 原件和复印件 / 照片 / 表格 (a form the centre provides). */
  form: z.enum(['original', 'copy', 'original_and_copy', 'photo', 'form']),
  count: z.number().int().min(1).max(20),
  /** Only needed in some situations, e.g. "委托他人办理时". Shown with the condition. */
  when: nonEmpty.optional(),
  notes: nonEmpty.optional(),
});
export type Material = z.infer<typeof materialSchema>;

export const feeSchema = z.strictObject({
  /** Statutory fee in yuan; 0 means free of charge. */
  amountYuan: z.number().min(0),
  /** Plain words shown to residents, e.g. "免费" or "首次申领20元，换领20元". */
  description: nonEmpty,
  /** Legal or policy basis of the fee (or of it being free). */
  basis: nonEmpty,
});

export const catalogItemSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{2,63}$/, 'id: lower-case letters, digits and dashes'),
  category: z.enum(categoryCodes),
  name: nonEmpty,
  /** Colloquial names, old names and dialect words residents use (新农合, 五保, 娃儿上户口). */
  aliases: z.array(nonEmpty).min(1),
  /** Further words that hint at this item without naming it (e.g. 住院, 发票). */
  keywords: z.array(nonEmpty).default([]),
  /**
   * Life situations and needs that lead villagers to this item, in their words (考上大学 学费, 屋顶漏雨,
   * 外地 生娃): weaker evidence than the item's own words. Parts separated by a space must all be told
   * for the need to be met (走 户口: someone died and the household register is concerned).
   */
  needs: z.array(nonEmpty).default([]),
  /** Who qualifies (申请条件), one condition per entry. */
  conditions: z.array(nonEmpty).min(1),
  materials: z.array(materialSchema),
  fee: feeSchema,
  legalBasis: z.array(nonEmpty).min(1),
  department: z.strictObject({
    /** 承办部门, e.g. 县医疗保障局. */
    name: nonEmpty,
    /** Where it is handled, e.g. 乡镇便民服务中心医保窗口. */
    place: nonEmpty,
    level: z.enum(['township', 'county']),
  }),
  /** Promised completion time in working days once the centre has accepted it (承诺时限). */
  promisedWorkingDays: z.number().int().min(0).max(120),
  directions: z.array(z.enum(['village_to_centre', 'centre_to_village'])).min(1),
  /** Medical, relief, disability, identity documents…: needs a separate consent. */
  privacySensitive: z.boolean(),
  /** Must the person appear in person at some step (photo, fingerprint, signature)? */
  inPerson: z.strictObject({ required: z.boolean(), note: nonEmpty.optional() }),
  selfService: z.strictObject({
    available: z.boolean(),
    /** How to do it alone, in plain words, e.g. "微信搜索'国家医保服务平台'小程序". */
    how: nonEmpty.optional(),
  }),
  notes: z.array(nonEmpty).default([]),
});

export type CatalogItemInput = z.input<typeof catalogItemSchema>;
export type CatalogItem = z.output<typeof catalogItemSchema>;

export const categorySchema = z.strictObject({
  code: z.enum(categoryCodes),
  /** Shown to residents, e.g. 医疗 or 快递物流. */
  name: nonEmpty,
});

export const catalogFileSchema = z.strictObject({
  version: z.number().int().min(1),
  categories: z.array(categorySchema).length(categoryCodes.length),
  /** Words the matcher ignores (啥子, 咋个, 一下…): they carry no meaning for finding an item. */
  matching: z
    .strictObject({
      fillerWords: z.array(nonEmpty),
      /** Words read as one (去世: 过世, 走了, 死了…), so a need written once covers the ways it is said. */
      concepts: z.record(nonEmpty, z.array(nonEmpty)).default({}),
    })
    .default({ fillerWords: [], concepts: {} }),
  items: z.array(catalogItemSchema).min(1),
});
export type CatalogFile = z.output<typeof catalogFileSchema>;
