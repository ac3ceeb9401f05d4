import { z } from 'zod';
import { complaintTypes, ratingReasons } from '../../conversation/effects.ts';
import { ageGroups } from '../../domain/beneficiary.ts';
import { parseReceiptNo } from '../../domain/receipt-number.ts';
import { personTags } from '../../domain/roles.ts';

/** The request and answer shapes of the mini-program API (validation and the OpenAPI document). */

const receiptNo = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const parsed = parseReceiptNo(v);
    if (!parsed) ctx.addIssue({ code: 'custom', message: `not a receipt number (like DB261201007): ${v.slice(0, 40)}` });
    return parsed ?? '';
  })
  .meta({ description: 'The receipt number (回执号), e.g. DB261201007', example: 'DB261201007' });

export const receiptParams = z.object({ receiptNo });

export const loginBody = z.strictObject({ code: z.string().trim().min(1, 'the code of wx.login()').max(128).meta({ description: 'The code of wx.login()' }) });

const personOut = z.strictObject({
  id: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  villageCode: z.string().nullable(),
  villageName: z.string().nullable(),
  tags: z.array(z.string()),
  priority: z.boolean().meta({ description: 'Elderly, disabled, left-behind or in a remote village: self-service is not suggested' }),
});

const verifiedPhone = z.string().nullable().meta({
  description: 'Masked, e.g. 137****8888: the phone WeChat verified (POST /api/mp/phone) that registration will use; null when none or once registered',
  example: '137****8888',
});

export const meAnswer = z.strictObject({ registered: z.boolean(), person: personOut.nullable(), verifiedPhone }).meta({ description: 'Who is logged in' });

export const loginAnswer = z
  .strictObject({
    token: z.string().meta({ description: "Our session token: send it as Authorization: Bearer <token>. WeChat's session_key never leaves the server." }),
    expiresAt: z.string().meta({ description: 'ISO 8601' }),
    registered: z.boolean(),
    person: personOut.nullable(),
    verifiedPhone,
  })
  .meta({ description: 'Logged in' });

export const registrationBody = z.strictObject({
  name: z.string().max(40).meta({ description: 'Real name, 2–20 letters', example: '刘芳' }),
  villageCode: z.string().trim().min(1).max(40).meta({ description: 'A code from GET /api/mp/villages' }),
  phone: z.string().max(20).nullable().default(null).meta({
    description:
      'Mainland mobile number; null (or absent) to use the number WeChat verified through POST /api/mp/phone, or to leave none (progress lookup needs one)',
  }),
  situation: z.array(z.enum(personTags)).max(personTags.length).default([]).meta({ description: 'Priority groups the resident belongs to' }),
  livingAway: z.boolean().default(false).meta({ description: 'Working or living away from the village (在外务工)' }),
});

export const phoneBody = z.strictObject({
  code: z
    .string()
    .trim()
    .min(1, 'the code of the getPhoneNumber button')
    .max(128)
    .meta({ description: 'The code from <button open-type="getPhoneNumber"> (bindgetphonenumber: e.detail.code)' }),
});

const forWhom = z.enum(['self', 'family']).default('self');

export const entrustmentQuery = z.strictObject({
  itemId: z.string().trim().min(1).max(64),
  forWhom,
  beneficiaryName: z.string().max(40).optional(),
  relation: z.string().max(20).optional(),
  ageGroup: z
    .enum(ageGroups)
    .optional()
    .meta({ description: 'newborn or minor: the resident signs as guardian; adult or elderly: the agent visits the family member' }),
});

export const errandBody = z.strictObject({
  itemId: z.string().trim().min(1).max(64).meta({ description: 'A catalogue item id (GET /api/catalog/items)' }),
  forWhom,
  beneficiary: z
    .strictObject({
      name: z.string().max(40).optional().meta({ description: 'Left out (or 还没取名) for a newborn not yet named' }),
      relation: z.string().max(20),
      ageGroup: z.enum(ageGroups).optional().meta({ description: 'Inferred from the relation and the item where clear; adult otherwise' }),
      phone: z.string().max(20).optional().meta({ description: "An adult family member's own mobile (or 没有)" }),
      whereabouts: z.string().max(60).optional().meta({ description: 'Where the agent finds an adult family member, e.g. 石桥村3组屋头' }),
    })
    .optional()
    .meta({ description: 'With forWhom "family"' }),
  privacyConsent: z.boolean().optional().meta({ description: 'The separate consent, required (true) for privacy-sensitive items' }),
  entrustment: z
    .strictObject({
      confirmed: z.literal(true, { error: 'the resident must confirm the entrustment (true) before anything is done' }),
      version: z.string().min(1).max(64).meta({ description: 'The version GET /api/mp/entrustment showed' }),
    })
    .meta({ description: 'The resident confirmed the entrustment text shown' }),
});

export const idempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string({ error: 'the Idempotency-Key header is required (a random id per form submission; send the same one on a retry)' })
    .regex(/^[A-Za-z0-9_.:-]{8,100}$/, 'Idempotency-Key: 8–100 letters, digits, _ . : -'),
});

export const ratingBody = z.strictObject({
  score: z
    .number()
    .int()
    .min(1)
    .max(5)
    .meta({ description: '好差评, numbered like stars: 5 非常满意 · 4 满意 · 3 基本满意 · 2 不满意 · 1 非常不满意 (5 is the best)' }),
  reasonKind: z.enum(ratingReasons).optional().meta({ description: 'For 2 and 1 (bad reviews): why (work_error is handled again at once)' }),
  reason: z.string().max(300).optional(),
});

export const entrustmentDecisionBody = z.discriminatedUnion('decision', [
  z.strictObject({
    decision: z.literal('confirm'),
    version: z.string().min(1).max(64).meta({ description: 'The version GET /api/mp/errands/{receiptNo}/entrustment showed' }),
    privacyConsent: z.boolean().optional().meta({ description: 'The separate consent, required for privacy-sensitive items' }),
  }),
  z.strictObject({ decision: z.literal('decline') }),
]);

export const complaintBody = z.strictObject({
  type: z.enum(complaintTypes).meta({ description: 'shirking 推诿 · added_obligation 增加材料 · overdue 超时 · extra_fee 收费 · other 其他' }),
  text: z.string().trim().min(2).max(500),
  receiptNo: receiptNo.optional().meta({ description: 'One of my errands it is about' }),
});
export const contactAgentBody = z.strictObject({ message: z.string().max(300).optional() });

/** wx.requestSubscribeMessage's answer carries `errMsg` next to the template ids. */
function withoutErrMsg(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'errMsg'));
}

export const subscriptionsBody = z.strictObject({
  results: z
    .preprocess(
      withoutErrMsg,
      z
        .record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a subscribe template id'), z.enum(['accept', 'reject', 'ban', 'filter']))
        .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 20, 'one to twenty template ids'),
    )
    .meta({ description: 'What wx.requestSubscribeMessage answered, per template id (its errMsg may be left in)' }),
});

export const creditsAnswer = z.object({ credits: z.array(z.object({ templateId: z.string(), credits: z.number().int() })) });

export const progressQuery = z
  .strictObject({
    receipt: receiptNo,
    phoneLast4: z
      .string()
      .regex(/^\d{4}$/, 'the last four digits of the phone number given when registering')
      .optional(),
    code: z
      .string()
      .regex(/^[0-9A-Za-z]{8}$/, 'the eight-character tracking code of the receipt')
      .optional()
      .meta({ description: 'The tracking code the resident got with the errand (trackingCode): opens the progress without the phone' }),
  })
  .refine((q) => (q.phoneLast4 === undefined) !== (q.code === undefined), { message: 'give exactly one of phoneLast4 and code' });

// ---- answers (documentation; the tests parse real answers with them so they stay true) ----------

const deadline = z
  .object({ kind: z.string(), label: z.string(), dueDate: z.string(), provisional: z.boolean(), overdue: z.boolean() })
  .nullable()
  .meta({ description: 'The next running time limit (working days, Asia/Shanghai)' });

export const errandSummary = z.strictObject({
  receiptNo: z.string(),
  itemId: z.string(),
  itemName: z.string(),
  status: z.string(),
  statusText: z.string(),
  createdAt: z.string(),
  forWhom: z.string(),
  holder: z.string().meta({ description: 'Who holds it now, in plain words; for a finished errand the agent who handled it, empty when nobody did' }),
  deadline,
  open: z.boolean(),
  ratable: z.enum(['first', 'rectification']).nullable(),
  withdrawable: z.boolean(),
  entrustmentPending: z.boolean(),
  trackingCode: z.string().meta({ description: 'With the receipt number, opens the progress page without the phone (for a link or QR code to share)' }),
});

export const errandsAnswer = z.strictObject({ errands: z.array(errandSummary) });

const noticeItem = z.looseObject({ name: z.string(), form: z.string(), count: z.number(), inCatalogue: z.boolean() });

export const errandDetail = errandSummary.extend({
  timeline: z.array(z.strictObject({ at: z.string(), event: z.string(), text: z.string() })),
  entrustments: z.array(
    z.strictObject({ at: z.string(), textVersion: z.string(), text: z.string(), privacyConsent: z.boolean().nullable(), channel: z.string() }),
  ),
  notices: z.array(z.strictObject({ version: z.number(), kind: z.string(), items: z.array(noticeItem), issuedAt: z.string() })),
});

export const filedAnswer = z
  .strictObject({
    receiptNo: z.string(),
    status: z.string(),
    statusText: z.string(),
    message: z.string().meta({ description: 'What the chat says after filing' }),
    notice: z
      .strictObject({ text: z.string(), items: z.array(noticeItem), issuedAt: z.string() })
      .meta({ description: 'The one-time notice of materials (一次性告知)' }),
    entrustment: z.strictObject({ version: z.string() }),
  })
  .meta({ description: 'Filed (or the first answer again, with Idempotent-Replayed: true)' });

export const previewAnswer = z.strictObject({
  item: z.looseObject({ id: z.string(), name: z.string(), privacySensitive: z.boolean(), selfServiceSuggested: z.boolean() }),
  entrustment: z.strictObject({ text: z.string(), version: z.string() }),
  privacyConsent: z.strictObject({ required: z.boolean(), text: z.string().nullable() }),
  notice: z.strictObject({ text: z.string() }),
});

export const ratingAnswer = z.strictObject({ receiptNo: z.string(), round: z.enum(['first', 'rectification']), status: z.string() });
export const withdrawalAnswer = z.strictObject({
  receiptNo: z.string(),
  status: z.string(),
  materials: z
    .strictObject({ at: z.enum(['none', 'agent', 'centre']), list: z.string(), message: z.string() })
    .meta({ description: "What happens to the materials taken in (none taken in, with the agent, at the centre), in the chat's words" }),
});
export const complaintAnswer = z.strictObject({ complaintId: z.number().int(), dueDate: z.string(), hotline: z.string() });
export const contactAgentAnswer = z.strictObject({ told: z.number().int() });
export const errandEntrustmentAnswer = z.strictObject({
  pending: z.boolean(),
  text: z.string(),
  version: z.string(),
  privacyConsent: z.strictObject({ required: z.boolean(), text: z.string().nullable() }),
});
export const entrustmentDecisionAnswer = z.strictObject({ receiptNo: z.string(), status: z.string(), entrustment: z.string() });

export const progressAnswer = z.strictObject({
  receiptNo: z.string(),
  itemName: z.string(),
  villageName: z.string(),
  requester: z.string().meta({ description: 'Masked, e.g. 何*梅' }),
  status: z.string(),
  statusText: z.string(),
  holder: z.string(),
  deadline: z.strictObject({ label: z.string(), dueDate: z.string(), overdue: z.boolean() }).nullable(),
  timeline: z.array(z.strictObject({ date: z.string(), event: z.string(), text: z.string() })),
});

export const phoneAnswer = z
  .discriminatedUnion('outcome', [
    z.strictObject({
      outcome: z
        .literal('linked')
        .meta({ description: 'Exactly one person has this phone: the user is now that person (their errands filed by chat included)' }),
      registered: z.literal(true),
      person: z.strictObject({ maskedName: z.string().meta({ example: '刘*' }), villageName: z.string().nullable() }),
    }),
    z.strictObject({
      outcome: z.literal('remembered').meta({ description: 'Nobody has this phone yet: registration uses it (send phone null or leave it out)' }),
      registered: z.literal(false),
      maskedPhone: z.string().meta({ example: '139****0013' }),
    }),
  ])
  .meta({ description: 'What the verified phone number did' });
