import { formatShanghaiDateTime } from '../calendar/local-date.ts';
import type { ErrandView } from '../conversation/flow-context.ts';
import type { TemplateSet } from '../conversation/templates.ts';
import type { ErrandRow, StoredDeadline } from '../db/errand-repository.ts';
import type { errandEvents } from '../db/schema.ts';
import { storedBeneficiary } from '../domain/beneficiary.ts';
import { isOpenForResident, transition, type ErrandStatus } from '../domain/errand-lifecycle.ts';
import { custodyOf } from '../domain/material-custody.ts';
import type { LedgerMaterialJson } from '../db/schema.ts';
import type { Directory } from './directory.ts';

/** An errand as a resident reads it: status in plain words, who holds it, its clock, its history. */

type EventRow = typeof errandEvents.$inferSelect;

/** Statuses where the centre holds the errand. */
const AT_CENTRE: readonly ErrandStatus[] = ['submitted', 'in_progress', 'handed_back', 'dispatched'];

export function buildErrandView(input: {
  errand: ErrandRow;
  itemName: string;
  events: readonly EventRow[];
  deadlines: readonly StoredDeadline[];
  agentName: string | null;
  /** A bad review of it was rectified and the resident has not rated the fix yet. */
  awaitingFixRating: boolean;
  /** What the ledger says was taken in at 收件 (null: nothing), and the return owed after a withdrawal. */
  materials?: { taken: readonly LedgerMaterialJson[] | null; owed: { heldAt: 'agent' | 'centre'; returnedAt: number | null } | null };
  directory: Directory;
  templates: TemplateSet;
  now: number;
}): ErrandView {
  const { errand, templates, directory } = input;
  const status = errand.status as ErrandStatus;
  const t = (key: string, vars: Record<string, unknown> = {}) => templates.render(key, vars);

  const b = errand.beneficiary;
  const forWhom = b.kind === 'family' ? t('errand_view.for_family', { relation: b.relation ?? '', name: b.name ?? '' }) : t('errand_view.for_self');

  let holder: string;
  // A finished errand names the agent who handled it; one nobody handled (withdrawn before a claim) names no one.
  if (status === 'fed_back') holder = t('holder.resident');
  else if (!isOpenForResident(status)) holder = input.agentName ? t('holder.handled', { name: input.agentName }) : '';
  else if (AT_CENTRE.includes(status)) holder = t('holder.centre', { name: directory.township(errand.townshipCode)?.centre.name ?? '' });
  else if (input.agentName) holder = t('holder.agent', { name: input.agentName });
  else holder = t('holder.waiting', { villageName: directory.village(errand.villageCode)?.name ?? '' });

  const open = input.deadlines
    .filter((d) => d.status === 'running' || d.status === 'paused')
    .sort((a, c) => (a.dueAt ?? Number.MAX_SAFE_INTEGER) - (c.dueAt ?? Number.MAX_SAFE_INTEGER));
  const next = open.find((d) => d.status === 'running' && d.dueDate);
  const deadline =
    next && next.dueDate
      ? {
          kind: next.kind,
          label: t(`deadline.${next.kind}`),
          dueDate: next.dueDate,
          provisional: next.provisional,
          overdue: next.dueAt !== null && input.now > next.dueAt,
        }
      : null;

  const taken = input.materials?.taken ?? null;
  const owed = input.materials?.owed ?? null;
  const materials = {
    at: owed ? owed.heldAt : custodyOf({ status, suspendedFrom: errand.suspendedFrom as ErrandStatus | null, inLedger: taken !== null }),
    list: taken ? materialList(templates, taken, 'resident') : '',
    agentName: input.agentName,
    returned: owed?.returnedAt != null,
  };

  return {
    id: errand.id,
    receiptNo: errand.receiptNo,
    itemId: errand.itemId,
    itemName: input.itemName,
    beneficiary: storedBeneficiary(b),
    entrustmentPending: errand.entrustmentStatus === 'pending' && isOpenForResident(status),
    ratable: status === 'fed_back' ? 'first' : input.awaitingFixRating ? 'rectification' : null,
    status,
    statusText: t(`status.${status}`),
    createdAt: formatShanghaiDateTime(errand.createdAt),
    forWhom,
    holder,
    deadline,
    events: input.events.map((e) => ({
      at: formatShanghaiDateTime(e.at).slice(5),
      text: t('errand_view.event_line', { text: t(`event.${e.type}`), reason: e.reason }),
    })),
    open: isOpenForResident(status),
    // A 派单 is marked fed back when the centre has it back; its result still has to reach the resident.
    resultPending: isOpenForResident(status) || (errand.direction === 'centre_to_village' && status === 'fed_back'),
    withdrawable: transition({ direction: errand.direction, status, suspendedFrom: errand.suspendedFrom as ErrandStatus | null }, 'withdraw', 'resident').ok,
    materials,
  };
}

/**
 * Materials in words. For staff every one, a conditional one marked: 居民身份证、结婚证（如有）;
 * for residents the ones everybody hands in, and a word for the rest: 居民身份证，以及按情况另交的材料.
 */
export function materialList(templates: TemplateSet, items: readonly LedgerMaterialJson[], audience: 'resident' | 'staff'): string {
  if (audience === 'staff') return templates.render('materials.list', { items: items.map((m) => ({ name: m.name, conditional: Boolean(m.when) })) });
  return templates.render('materials.list_short', { items: items.filter((m) => !m.when).map((m) => m.name), more: items.some((m) => m.when) });
}
