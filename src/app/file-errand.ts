import { shanghaiDate } from '../calendar/local-date.ts';
import { materialsFor } from '../catalog/item-situations.ts';
import type { Beneficiary } from '../conversation/effects.ts';
import { appendEvent, insertEntrustment, insertErrand, insertNotice, nextReceiptSequence, saveDeadlines } from '../db/errand-repository.ts';
import { insertOutbox } from '../db/outbox-repository.ts';
import { attachHeldPhotos, MEDIA_LIFETIME_MS } from '../db/photo-repository.ts';
import type { PersonRow } from '../db/people-repository.ts';
import { planDeadlines } from '../domain/deadline-clock.ts';
import { transition, type Direction } from '../domain/errand-lifecycle.ts';
import { maskName } from '../domain/masking.ts';
import { formatReceiptNo } from '../domain/receipt-number.ts';
import type { ActorRole } from '../domain/roles.ts';
import { AppError } from '../errors.ts';
import type { BeneficiaryJson } from '../db/schema.ts';
import { deadlineDays } from './deadline-policy.ts';
import { beneficiaryVars } from './errand-parties.ts';
import { toRooms, toStaff } from './notifications.ts';
import type { AppContext, TouchedErrands } from './app-context.ts';

/**
 * Files a village → centre errand: the lifecycle's `request` move, the receipt number, the
 * entrustment with its text version, the one-time notice of materials (from the catalogue), the claim
 * clock, and the notices to the village's agent room (masked) and to its agents (privately).
 * Runs inside the caller's transaction; never awaits.
 */

export type ErrandEnv = Pick<AppContext, 'database' | 'directory' | 'catalog' | 'calendars' | 'templates' | 'deadlines'> & TouchedErrands;

export interface FileErrandInput {
  requester: PersonRow;
  actor: { personId: string; role: ActorRole };
  itemId: string;
  beneficiary: Beneficiary;
  privacyConsent: boolean | null;
  /** The item's situation the resident is in (lost, damaged…), when known: the notice lists only its materials. */
  situation?: string | null;
  /**
   * The entrustment agreed to: confirmed by the resident in chat, or a signed paper form (the text
   * then records what the form says). Null: not yet — the errand cannot be accepted until it is.
   */
  entrustment: { text: string; version: string; paper: boolean } | null;
  channel: string;
  /** Tell the village's agents and room of the new request (false: the caller tells whom it should). */
  notifyAgents?: boolean;
  /** village → centre (a request) or centre → village (the centre's dispatch). */
  direction?: Direction;
  note?: string | null;
  now: number;
}

export interface FiledErrand {
  errandId: number;
  receiptNo: string;
  pendingOutboxIds: number[];
}

export function fileErrand(env: ErrandEnv, input: FileErrandInput): FiledErrand {
  const { database, directory, catalog, templates } = env;
  const { requester, now } = input;
  const village = requester.villageCode ? directory.village(requester.villageCode) : undefined;
  if (!village) throw new AppError('no_village', `person ${requester.id} has no known village`);
  const item = catalog.get(input.itemId);
  const direction = input.direction ?? 'village_to_centre';
  if (!item || !item.directions.includes(direction)) throw new AppError('item_unavailable', `item ${input.itemId} cannot go ${direction}`);
  if (item.privacySensitive && input.entrustment && !input.entrustment.paper && input.privacyConsent !== true) {
    throw new AppError('not_allowed', 'privacy-sensitive item without consent');
  }
  // Only a situation the item knows counts; any other leaves the notice with every material and its condition.
  const situation = item.situations.some((s) => s.id === input.situation) ? (input.situation ?? null) : null;

  const event = direction === 'village_to_centre' ? 'request' : 'dispatch';
  const move = transition({ direction, status: null, suspendedFrom: null }, event, input.actor.role);
  if (!move.ok) throw new AppError('not_allowed', `request refused: ${move.refusal.kind}`);

  const today = shanghaiDate(now);
  const receiptNo = formatReceiptNo(today, nextReceiptSequence(database, today));
  const b = input.beneficiary;
  const beneficiary: BeneficiaryJson =
    b.kind === 'family'
      ? { kind: 'family', name: b.name, relation: b.relation, ageGroup: b.ageGroup, phone: b.phone, whereabouts: b.whereabouts }
      : { kind: 'self' };
  const errand = insertErrand(database, {
    receiptNo,
    direction,
    status: move.transition.to,
    itemId: item.id,
    itemVersion: catalog.versionOf(item.id),
    villageCode: village.code,
    townshipCode: village.townshipCode,
    requesterId: requester.id,
    beneficiary,
    collectorId: input.actor.role === 'collector' ? input.actor.personId : null,
    channel: input.channel,
    // A 派单: the resident applied at the centre itself; no entrustment to an agent was signed or asked for.
    entrustmentStatus: input.entrustment ? (input.entrustment.paper ? 'paper' : 'confirmed') : direction === 'centre_to_village' ? 'centre' : 'pending',
    note: input.note ?? null,
    now,
  });
  appendEvent(database, {
    errandId: errand.id,
    version: errand.version,
    type: event,
    fromStatus: null,
    toStatus: move.transition.to,
    actorPersonId: input.actor.personId,
    actorRole: input.actor.role,
    at: now,
    data: { itemVersion: catalog.versionOf(item.id), entrustmentVersion: input.entrustment?.version ?? null, ...(situation ? { situation } : {}) },
  });
  if (input.entrustment) {
    insertEntrustment(database, {
      errandId: errand.id,
      confirmedBy: requester.id,
      beneficiary,
      textVersion: input.entrustment.version,
      text: input.entrustment.text,
      privacyConsent: input.privacyConsent,
      channel: input.entrustment.paper ? 'paper' : input.channel,
      paper: input.entrustment.paper,
      at: now,
    });
  }
  insertNotice(database, {
    errandId: errand.id,
    kind: 'intake',
    items: materialsFor(item, situation).map((m) => ({
      name: m.name,
      form: m.form,
      count: m.count,
      ...(m.when ? { when: m.when } : {}),
      ...(m.notes ? { notes: m.notes } : {}),
      inCatalogue: true,
    })),
    catalogItemVersion: catalog.versionOf(item.id),
    issuedBy: null,
    at: now,
  });

  const calendar = env.calendars.forTownship(village.townshipCode);
  const plan = planDeadlines([], move.transition.deadlines, { now, calendar }, deadlineDays(env.deadlines, item));
  saveDeadlines(database, errand.id, plan);
  env.touched?.add(errand.id);
  env.calendars.noteUncertainYears(plan.started.flatMap((d) => (d.provisional && d.dueDate ? [Number(d.dueDate.slice(0, 4))] : [])));
  const claimBy = plan.started.find((d) => d.kind === 'claim')?.dueDate ?? today;

  // Photos the resident sent before saying what they were for go with the errand.
  const photos = direction === 'village_to_centre' ? attachHeldPhotos(database, requester.id, errand.id, now - MEDIA_LIFETIME_MS) : 0;
  const villageName = village.name;
  const roomText = templates.render('notify.new_request_room', { receiptNo, itemName: item.name, villageName, maskedName: maskName(requester.name), claimBy });
  const agentText = templates.render('notify.new_request_agent', {
    receiptNo,
    itemName: item.name,
    name: requester.name,
    phone: requester.phone,
    ...beneficiaryVars(beneficiary),
    claimBy,
    photos,
  });
  const key = `errand-${errand.id}-requested`;
  if (input.notifyAgents === false) return { errandId: errand.id, receiptNo, pendingOutboxIds: [] };
  let notices = [
    ...toRooms(directory.agentRooms(village.code), roomText, errand.id, key),
    ...toStaff(directory.staff('agent', { village: village.code }), agentText, errand.id, key),
  ];
  if (!notices.length) {
    // A village without an agent (or one not reachable on any channel): the township centre hears of it, so no request waits unseen.
    notices = [
      ...toRooms(directory.centreRooms(village.townshipCode), roomText, errand.id, key),
      ...toStaff(directory.staff('centre_staff', { township: village.townshipCode }), agentText, errand.id, key),
    ];
  }
  const pendingOutboxIds = insertOutbox(database, notices, now);
  return { errandId: errand.id, receiptNo, pendingOutboxIds };
}
