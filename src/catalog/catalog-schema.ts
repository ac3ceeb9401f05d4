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
  /** Only needed in some situations, e.g. "委托他人办理时". Shown with the condition while it is not known to apply. */
  when: nonEmpty.optional(),
  /**
   * Needed only in these of the item's `situations` (their ids): once the resident's situation is known, a
   * material for another situation is left off the one-time notice.
   */
  situations: z
    .array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a situation id: lower snake case'))
    .min(1)
    .optional(),
  notes: nonEmpty.optional(),
});
export type Material = z.infer<typeof materialSchema>;

/** One of the cases an item is asked for in (first card, lost, damaged), which decides its materials. */
export const situationSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a situation id: lower snake case'),
  /** The choice as residents read it, e.g. 卡丢了，补办. */
  label: nonEmpty,
  /** Words in a request that tell this situation without asking (丢了, 掉了, 找不到). */
  words: z.array(nonEmpty).default([]),
});
export type Situation = z.output<typeof situationSchema>;

/** Steps only the applicant can do (照相, 采集指纹, 当面签字, 评定/体检, 面谈, 本人到场核验). */
export const inPersonSteps = ['photo', 'fingerprint', 'signature', 'assessment', 'interview', 'presence'] as const;
export type InPersonStep = (typeof inPersonSteps)[number];

export const inPersonSchema = z
  .strictObject({
    /** Must the applicant appear in person at some step? The agent can make the appointment and go along, never do it for them. */
    required: z.boolean(),
    steps: z.array(z.enum(inPersonSteps)).default([]),
    /** Where the in-person step happens, e.g. 户口所在地派出所户籍窗口. */
    where: nonEmpty.optional(),
    /** Staff come to the home (上门) for those who cannot travel (bedridden, very old). */
    homeVisit: z.boolean().default(false),
    note: nonEmpty.optional(),
  })
  .refine((p) => !p.required || (p.steps.length > 0 && p.where !== undefined), {
    message: 'inPerson: an item that needs the applicant in person names the steps and where',
  })
  .refine((p) => p.required || p.steps.length === 0, { message: 'inPerson: steps are only given when required is true' });

export const feeSchema = z.strictObject({
  /** Statutory fee in yuan; 0 means free of charge. */
  amountYuan: z.number().min(0),
  /** Plain words shown to residents, e.g. "免费" or "首次申领20元，换领20元". */
  description: nonEmpty,
  /** Legal or policy basis of the fee (or of it being free). */
  basis: nonEmpty,
});

export const catalogItemSchema = z
  .strictObject({
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
    /** The cases the item is asked for in, when its materials depend on them; the resident is asked which (or it is read from their words). */
    situations: z.array(situationSchema).default([]),
    fee: feeSchema,
    legalBasis: z.array(nonEmpty).min(1),
    department: z.strictObject({
      /** 承办部门, e.g. 县医疗保障局. */
      name: nonEmpty,
      /** Where it is handled, e.g. 乡镇便民服务中心医保窗口. */
      place: nonEmpty,
      level: z.enum(['township', 'county']),
      /** Where 行政复议 against this department's decision is applied for; the file's `review.body` when absent. */
      reviewBody: nonEmpty.optional(),
      /** Is a refusal an administrative decision (行政复议 / 行政诉讼 apply)? Not for services such as 快递 or 党组织关系. */
      reviewable: z.boolean().default(true),
    }),
    /** Promised completion time in working days once the centre has accepted it (承诺时限). */
    promisedWorkingDays: z.number().int().min(0).max(120),
    directions: z.array(z.enum(['village_to_centre', 'centre_to_village'])).min(1),
    /** Medical, relief, disability, identity documents…: needs a separate consent. */
    privacySensitive: z.boolean(),
    /** What the applicant must do in person, where, and whether staff come to the home (上门). */
    inPerson: inPersonSchema,
    selfService: z.strictObject({
      available: z.boolean(),
      /** How to do it alone, in plain words, e.g. "微信搜索'国家医保服务平台'小程序". */
      how: nonEmpty.optional(),
    }),
    notes: z.array(nonEmpty).default([]),
  })
  .superRefine((item, ctx) => {
    const ids = new Set(item.situations.map((s) => s.id));
    if (ids.size !== item.situations.length) ctx.addIssue({ code: 'custom', path: ['situations'], message: 'situation ids must be unique' });
    if (item.situations.length === 1) ctx.addIssue({ code: 'custom', path: ['situations'], message: 'give at least two situations, or none' });
    item.materials.forEach((m, i) => {
      for (const id of m.situations ?? []) {
        if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: ['materials', i, 'situations'], message: `no situation "${id}" in this item's situations` });
      }
    });
  });

export type CatalogItemInput = z.input<typeof catalogItemSchema>;
export type CatalogItem = z.output<typeof catalogItemSchema>;

export const categorySchema = z.strictObject({
  code: z.enum(categoryCodes),
  /** Shown to residents, e.g. 医疗 or 快递物流. */
  name: nonEmpty,
});

export const reviewSchema = z.strictObject({
  /** 行政复议机关 by default, e.g. 县人民政府. */
  body: nonEmpty,
  /** The people's court for 行政诉讼, e.g. 县人民法院. */
  court: nonEmpty,
});
export type ReviewBodies = z.output<typeof reviewSchema>;
export const defaultReview: ReviewBodies = { body: '县人民政府', court: '县人民法院' };

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
  /** Where refusals can be challenged, for the whole county: 行政复议 (unless the item's department names its own body) and 行政诉讼. */
  review: reviewSchema.default(defaultReview),
  items: z.array(catalogItemSchema).min(1),
});
export type CatalogFile = z.output<typeof catalogFileSchema>;
