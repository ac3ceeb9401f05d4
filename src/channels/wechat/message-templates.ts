import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { FIELD_TYPES, fitFieldValue } from './field-values.ts';

/**
 * Which WeChat template (template message) and subscribe template a notification is sent with when
 * the customer-service allowance is used up, and how each field is filled. Read from a YAML file
 * (WECHAT_OA_TEMPLATES_PATH), checked at start-up; see data/wechat-templates.example.yaml.
 *
 * A notification's kind is the status of its errand when it goes out (`claimed`, `completed`, …), or
 * `general` when it concerns no errand; an entry lists the kinds it serves, `default` serving the rest.
 */

export const FIELD_SOURCES = ['text', 'item', 'status', 'receipt', 'due_date', 'now', 'village'] as const;
export type FieldSource = (typeof FIELD_SOURCES)[number];

const fieldSchema = z
  .object({
    type: z.enum(FIELD_TYPES, { error: `must be one of ${FIELD_TYPES.join(', ')}` }),
    source: z.enum(FIELD_SOURCES, { error: `must be one of ${FIELD_SOURCES.join(', ')}` }).optional(),
    /** A fixed text instead of a source. */
    value: z.string().min(1).optional(),
    /** For source `status`: a short label per status (the resident-facing status text otherwise). */
    labels: z.record(z.string(), z.string().min(1)).optional(),
  })
  .strict()
  .refine((f) => (f.source === undefined) !== (f.value === undefined), 'needs exactly one of source or value');

const fieldsSchema = z
  .record(z.string().regex(/^[a-z][a-z_]*[0-9]*$/, 'field keys look like thing1, phrase2, time3'), fieldSchema)
  .refine((fields) => Object.keys(fields).length > 0, 'needs at least one field');

const kindsSchema = z.array(z.string().regex(/^[a-z][a-z_]*$/, 'kinds are errand statuses, general or default')).min(1);

/** Fields both kinds of message share: the platform's template id and an optional mini-program page to open. */
const templateIdSchema = z.string().trim().min(1, 'must be the template id from the WeChat platform');
const miniprogramLinkSchema = z
  .object({ appid: z.string().regex(/^wx[0-9a-zA-Z]{10,30}$/), pagepath: z.string().min(1) })
  .strict()
  .optional();

const templateMessageSchema = z
  .object({
    kinds: kindsSchema,
    template_id: templateIdSchema,
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    miniprogram: miniprogramLinkSchema,
    fields: fieldsSchema,
  })
  .strict();

const subscribeMessageSchema = z
  .object({
    kinds: kindsSchema,
    template_id: templateIdSchema,
    page: z.string().min(1).optional(),
    miniprogram: miniprogramLinkSchema,
    fields: fieldsSchema,
  })
  .strict();

const noRepeatedKinds = (entries: { kinds: string[] }[]) => {
  const kinds = entries.flatMap((e) => e.kinds);
  return new Set(kinds).size === kinds.length;
};

export const messageTemplatesSchema = z
  .object({
    template_messages: z.array(templateMessageSchema).default([]).refine(noRepeatedKinds, 'a kind is listed in two entries'),
    subscribe_messages: z.array(subscribeMessageSchema).default([]).refine(noRepeatedKinds, 'a kind is listed in two entries'),
  })
  .strict();

export type MessageTemplates = z.infer<typeof messageTemplatesSchema>;
export type TemplateMessageSpec = MessageTemplates['template_messages'][number];
export type SubscribeMessageSpec = MessageTemplates['subscribe_messages'][number];
export type FieldSpec = z.infer<typeof fieldSchema>;

export const NO_MESSAGE_TEMPLATES: MessageTemplates = { template_messages: [], subscribe_messages: [] };

/** Parses and checks the templates file's text; every problem is reported in one error. */
export function parseMessageTemplates(text: string, where: string): MessageTemplates {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (error) {
    throw new Error(`${where}: not valid YAML: ${(error as Error).message}`);
  }
  const parsed = messageTemplatesSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new Error(`${where} does not validate:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

export function readMessageTemplates(path: string): MessageTemplates {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`WeChat message templates file ${path} cannot be read: ${(error as Error).message}`);
  }
  return parseMessageTemplates(text, path);
}

/** The entry serving a kind: the one listing it, else the one listing `default`. */
export function specFor<T extends { kinds: string[] }>(entries: readonly T[], kind: string): T | undefined {
  return entries.find((e) => e.kinds.includes(kind)) ?? entries.find((e) => e.kinds.includes('default'));
}

/** What a notification's fields can show. */
export interface NotificationFacts {
  text: string;
  kind: string;
  itemName: string | null;
  status: string | null;
  /** The resident-facing text of the status. */
  statusLabel: string | null;
  receiptNo: string | null;
  /** The errand's next running deadline (Shanghai), e.g. 2026年12月4日. */
  dueDate: string | null;
  villageName: string | null;
  /** When the message goes out (Shanghai), e.g. 2026年12月1日 09:00. */
  now: string;
}

function sourceValue(field: FieldSpec, facts: NotificationFacts): string | null {
  if (field.value !== undefined) return field.value;
  switch (field.source) {
    case 'text':
      return facts.text;
    case 'item':
      return facts.itemName;
    case 'status':
      return facts.status === null ? null : (field.labels?.[facts.status] ?? facts.statusLabel ?? facts.status);
    case 'receipt':
      return facts.receiptNo;
    case 'due_date':
      return facts.dueDate;
    case 'village':
      return facts.villageName;
    case 'now':
      return facts.now;
    default:
      return null;
  }
}

/** WeChat's `data` object ({key: {value}}), each value fitted to its type; a missing fact shows as "-". */
export function fieldData(fields: Record<string, FieldSpec>, facts: NotificationFacts): Record<string, { value: string }> {
  const data: Record<string, { value: string }> = {};
  for (const [key, field] of Object.entries(fields)) {
    const fitted = fitFieldValue(field.type, sourceValue(field, facts) ?? '');
    data[key] = { value: fitted === '' ? '-' : fitted };
  }
  return data;
}
