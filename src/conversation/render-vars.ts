import type { CatalogItem } from '../catalog/catalog-schema.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { materialsFor } from '../catalog/item-situations.ts';
import type { FlowData } from './conversation-state.ts';
import type { FlowContext } from './flow-context.ts';

/**
 * The variables a template sees: a few always-present views of the context, the flow's data, and
 * views derived from data keys (an `itemId` gives `item`, an `errandId` gives `errand`).
 * Flow validation uses the same lists to check templates against what each state provides.
 */

export const globalVarNames = ['person', 'agent', 'centre', 'county', 'today'] as const;

/** Derived view → the data key it needs. */
export const derivedVarSources: Readonly<Record<string, string>> = { item: 'itemId', errand: 'errandId', village: 'villageCode' };

export interface ItemView {
  id: string;
  name: string;
  categoryName: string;
  conditions: readonly string[];
  materials: readonly { name: string; form: string; count: number; when: string | null; notes: string | null }[];
  fee: { amountYuan: number; description: string; basis: string; free: boolean };
  promisedWorkingDays: number;
  department: string;
  place: string;
  privacySensitive: boolean;
  inPersonNote: string | null;
  /** What the applicant must do in person (step codes: photo, fingerprint…), where, and whether staff come to the home. */
  inPerson: { required: boolean; steps: readonly string[]; where: string | null; homeVisit: boolean; note: string | null };
  selfService: string | null;
  notes: readonly string[];
}

/** The item as templates read it; with the resident's situation known, only the materials that apply. */
export function itemView(item: CatalogItem, catalog: Catalog, situation: string | null = null): ItemView {
  return {
    id: item.id,
    name: item.name,
    categoryName: catalog.categoryName(item.category),
    conditions: item.conditions,
    materials: materialsFor(item, situation).map((m) => ({ name: m.name, form: m.form, count: m.count, when: m.when ?? null, notes: m.notes ?? null })),
    fee: { amountYuan: item.fee.amountYuan, description: item.fee.description, basis: item.fee.basis, free: item.fee.amountYuan === 0 },
    promisedWorkingDays: item.promisedWorkingDays,
    department: item.department.name,
    place: item.department.place,
    privacySensitive: item.privacySensitive,
    inPersonNote: item.inPerson.required ? (item.inPerson.note ?? '') : null,
    inPerson: {
      required: item.inPerson.required,
      steps: item.inPerson.steps,
      where: item.inPerson.where ?? null,
      homeVisit: item.inPerson.homeVisit,
      note: item.inPerson.note ?? null,
    },
    selfService: item.selfService.available ? (item.selfService.how ?? null) : null,
    notes: item.notes,
  };
}

export function buildRenderVars(data: FlowData, ctx: FlowContext, today: string): Record<string, unknown> {
  const vars: Record<string, unknown> = {
    person: ctx.person,
    agent: ctx.agent,
    centre: ctx.centre,
    county: ctx.county,
    today,
    ...data,
  };
  const itemId = data.itemId;
  if (typeof itemId === 'string') {
    const item = ctx.catalog.get(itemId);
    if (item) vars.item = itemView(item, ctx.catalog, typeof data.situation === 'string' ? data.situation : null);
  }
  const errandId = data.errandId;
  if (typeof errandId === 'number') {
    const errand = ctx.myErrands.find((e) => e.id === errandId);
    if (errand) vars.errand = errand;
  }
  const villageCode = data.villageCode;
  if (typeof villageCode === 'string') {
    const village = ctx.villages.find((v) => v.code === villageCode);
    if (village) vars.village = village;
  }
  return vars;
}
