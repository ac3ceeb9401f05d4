import type { TemplateSet } from '../conversation/templates.ts';
import type { ErrandRow } from '../db/errand-repository.ts';
import type { Database } from '../db/open-database.ts';
import type { NewOutboxMessage } from '../db/outbox-repository.ts';
import { identitiesOf, personById, type PersonRow } from '../db/people-repository.ts';
import { guardianSigns, storedBeneficiary } from '../domain/beneficiary.ts';
import { maskName } from '../domain/masking.ts';
import { isPriorityResident, resultDeliveryOf } from '../domain/result-delivery.ts';
import type { Directory, StaffMember, TownshipEntry, VillageEntry } from './directory.ts';
import { toRooms, toStaff } from './notifications.ts';
import { roomVars } from './room-privacy.ts';

/**
 * Everyone an errand concerns — its resident, its agent, its village's agent room, its township's
 * centre — and the notices to each. Group messages get only the masked view; details go privately.
 */

export interface ErrandParties {
  errand: ErrandRow;
  itemName: string;
  village: VillageEntry | undefined;
  township: TownshipEntry | undefined;
  resident: PersonRow | undefined;
  agent: StaffMember | undefined;
  /** Variables every errand notice may use (masked where it may reach a room). */
  vars: Record<string, unknown>;
}

export function errandParties(database: Database, directory: Directory, errand: ErrandRow, itemName: string): ErrandParties {
  const village = directory.village(errand.villageCode);
  const township = directory.township(errand.townshipCode);
  const resident = personById(database, errand.requesterId);
  const agent = errand.agentId ? directory.staffById(errand.agentId) : undefined;
  const priority = isPriorityResident(resident?.tags ?? [], Boolean(village?.remote));
  return {
    errand,
    itemName,
    village,
    township,
    resident,
    agent,
    vars: {
      receiptNo: errand.receiptNo,
      itemName,
      villageName: village?.name ?? '',
      centreName: township?.centre.name ?? '',
      maskedName: maskName(resident?.name ?? ''),
      residentName: resident?.name ?? '',
      residentPhone: resident?.phone ?? null,
      ...beneficiaryVars(errand.beneficiary),
      agentName: agent?.name ?? '',
      agentPhone: agent?.publicProfile?.phone ?? agent?.phone ?? null,
      hotline: directory.county.hotline,
      /** Elderly, disabled, left-behind or in a remote village: the agent brings the result and explains a refusal in person. */
      priority,
      /** home: the agent brings the result; self: the resident fetches it (their choice, else by priority). */
      delivery: resultDeliveryOf(errand.resultDelivery, priority),
    },
  };
}

/**
 * What notices say of the beneficiary: forWhom (relation and name), whether not yet named, and for an
 * adult family member the contact the agent needs to visit them (roomVars drops it for groups).
 */
export function beneficiaryVars(stored: ErrandRow['beneficiary']): Record<string, unknown> {
  const b = storedBeneficiary(stored);
  if (b.kind === 'self') return { forWhom: null, beneficiaryName: null, beneficiaryUnnamed: false, guardianSigns: false, visitBeneficiary: false };
  const visit = !guardianSigns(b.ageGroup);
  return {
    forWhom: [b.relation, b.name].filter(Boolean).join(' '),
    beneficiaryName: b.name,
    beneficiaryUnnamed: b.name === null,
    ageGroup: b.ageGroup,
    guardianSigns: !visit,
    visitBeneficiary: visit,
    beneficiaryPhone: visit ? b.phone : null,
    beneficiaryWhereabouts: visit ? b.whereabouts : null,
  };
}

export interface Notifier {
  resident(key: string, vars?: Record<string, unknown>): NewOutboxMessage[];
  agentRoom(key: string, vars?: Record<string, unknown>): NewOutboxMessage[];
  centreRoom(key: string, vars?: Record<string, unknown>): NewOutboxMessage[];
  /** The assigned agent, or the village's agents while nobody holds it. */
  agents(key: string, vars?: Record<string, unknown>): NewOutboxMessage[];
  staff(people: readonly StaffMember[], key: string, vars?: Record<string, unknown>): NewOutboxMessage[];
}

/** Builds notices for an errand; `tag` makes their de-duplication keys (one notice per event). */
export function errandNotifier(database: Database, directory: Directory, templates: TemplateSet, parties: ErrandParties, tag: string): Notifier {
  const key = `errand-${parties.errand.id}-v${parties.errand.version}-${tag}`;
  const render = (template: string, vars: Record<string, unknown> = {}) => templates.render(template, { ...parties.vars, ...vars });
  const renderForRoom = (template: string, vars: Record<string, unknown> = {}) => templates.render(template, roomVars({ ...parties.vars, ...vars }));
  return {
    resident(template, vars) {
      const resident = parties.resident;
      if (!resident) return [];
      const identities = identitiesOf(database, resident.id);
      const identity = identities.find((i) => i.channel === parties.errand.channel) ?? identities[0];
      if (!identity) return [];
      return [
        {
          channel: identity.channel,
          recipient: identity.externalId,
          room: null,
          text: render(template, vars),
          kind: 'notification',
          errandId: parties.errand.id,
          dedupeKey: `${key}-resident-${template}`,
        },
      ];
    },
    agentRoom: (template, vars) =>
      toRooms(directory.agentRooms(parties.errand.villageCode), renderForRoom(template, vars), parties.errand.id, `${key}-${template}`),
    centreRoom: (template, vars) =>
      toRooms(directory.centreRooms(parties.errand.townshipCode), renderForRoom(template, vars), parties.errand.id, `${key}-${template}`),
    agents(template, vars) {
      const people = parties.agent ? [parties.agent] : directory.staff('agent', { village: parties.errand.villageCode });
      return toStaff(people, render(template, vars), parties.errand.id, `${key}-${template}`);
    },
    staff: (people, template, vars) => toStaff(people, render(template, vars), parties.errand.id, `${key}-${template}`),
  };
}
