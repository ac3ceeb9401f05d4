import { deadlinesOf, entrustmentsOf, errandByReceipt, eventsOf, listErrands, noticesOf, type ErrandSummaryRow } from '../db/errand-queries.ts';
import type { Database } from '../db/open-database.ts';
import { personById } from '../db/people-repository.ts';
import { ratingsOf } from '../db/rating-repository.ts';
import { ratingLevelNames } from '../domain/rating-scale.ts';
import type { Directory } from './directory.ts';

/** The read API's view of errands (for admins and tools): everything recorded, nothing masked. */

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function summary(row: ErrandSummaryRow, directory: Directory) {
  const e = row.errand;
  return {
    receiptNo: e.receiptNo,
    status: e.status,
    direction: e.direction,
    item: { id: e.itemId, name: row.itemName },
    village: e.villageCode,
    villageName: directory.village(e.villageCode)?.name ?? null,
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
  };
}

export function errandReport(database: Database, directory: Directory, receiptNo: string) {
  const row = errandByReceipt(database, receiptNo);
  if (!row) return null;
  const e = row.errand;
  const person = (id: string | null) => {
    if (!id) return null;
    const p = personById(database, id);
    return p ? { id: p.id, name: p.name, phone: p.phone } : { id, name: null, phone: null };
  };
  // 好差评, numbered like stars (5 非常满意 … 1 非常不满意): the first rating and, after a bad one, the rating of its rectification.
  const ratings = ratingsOf(database, e.id).map((r) => ({
    round: r.round,
    level: r.level,
    words: ratingLevelNames[r.level],
    reasonKind: r.reasonKind,
    reason: r.reason,
    at: iso(r.createdAt),
  }));
  const latest = ratings.at(-1);
  return {
    ...summary(row, directory),
    version: e.version,
    suspendedFrom: e.suspendedFrom,
    township: { code: e.townshipCode, name: directory.township(e.townshipCode)?.name ?? null },
    resident: person(e.requesterId),
    beneficiary: e.beneficiary,
    agent: person(e.agentId),
    collector: person(e.collectorId),
    channel: e.channel,
    closedAt: iso(e.closedAt),
    /** The latest rating (a rectification's rating once there is one), null before any. */
    rating: latest ? { level: latest.level, words: latest.words, round: latest.round, at: latest.at } : null,
    ratings,
    deadlines: deadlinesOf(database, [e.id]).map((d) => ({
      kind: d.kind,
      status: d.status,
      workingDays: d.workingDays,
      startedAt: iso(d.startedAt),
      dueDate: d.dueDate,
      dueAt: iso(d.dueAt),
      remainingWorkingDays: d.remainingWorkingDays,
      provisional: d.provisional,
      closedAt: iso(d.closedAt),
    })),
    events: eventsOf(database, [e.id]).map((ev) => ({
      type: ev.type,
      at: iso(ev.at),
      actor: ev.actorPersonId ?? ev.actorRole,
      actorRole: ev.actorRole,
      from: ev.fromStatus,
      to: ev.toStatus,
      reason: ev.reason,
    })),
    entrustments: entrustmentsOf(database, e.id).map((t) => ({
      confirmedBy: t.confirmedBy,
      textVersion: t.textVersion,
      text: t.text,
      privacyConsent: t.privacyConsent,
      channel: t.channel,
      confirmedAt: iso(t.confirmedAt),
      paperFormSigned: t.paperFormSigned,
    })),
    notices: noticesOf(database, e.id).map((n) => ({
      version: n.version,
      kind: n.kind,
      items: n.items,
      catalogItemVersion: n.catalogItemVersion,
      issuedAt: iso(n.issuedAt),
    })),
  };
}

export function errandList(database: Database, directory: Directory, filter: { status?: string; village?: string; limit: number; offset: number }) {
  return listErrands(database, filter).map((row) => summary(row, directory));
}
