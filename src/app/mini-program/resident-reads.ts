import { timingSafeEqual } from 'node:crypto';
import { shanghaiDate } from '../../calendar/local-date.ts';
import { deadlinesOf, entrustmentsOf, errandByReceipt, errandsOfRequester, eventsOf, noticesOf, type ErrandSummaryRow } from '../../db/errand-queries.ts';
import { personById } from '../../db/people-repository.ts';
import { awaitingFixRating } from '../../db/rating-repository.ts';
import { maskName } from '../../domain/masking.ts';
import { AppError } from '../../errors.ts';
import { buildErrandView } from '../errand-views.ts';
import type { Caller, MiniProgramEnv } from './mini-program-env.ts';

/**
 * What the mini-program reads: a resident's own errands (others' are "not found"), one errand with
 * its timeline, and the anonymous progress lookup by receipt number and the phone's last four digits.
 */

const MY_ERRANDS_LIMIT = 50;

function views(mp: MiniProgramEnv, rows: readonly ErrandSummaryRow[], now: number) {
  const directory = mp.context().directory;
  const ids = rows.map((r) => r.errand.id);
  const events = eventsOf(mp.database, ids);
  const deadlines = deadlinesOf(mp.database, ids);
  return rows.map((r) => {
    const own = events.filter((e) => e.errandId === r.errand.id);
    const view = buildErrandView({
      errand: r.errand,
      itemName: r.itemName,
      events: own,
      deadlines: deadlines.filter((d) => d.errandId === r.errand.id),
      agentName: r.errand.agentId ? (directory.staffById(r.errand.agentId)?.name ?? null) : null,
      awaitingFixRating: r.errand.status === 'closed' && awaitingFixRating(mp.database, r.errand.id),
      directory,
      templates: mp.templates,
      now,
    });
    return { view, events: own };
  });
}

function summary(mp: MiniProgramEnv, view: ReturnType<typeof views>[number]['view']) {
  return {
    receiptNo: view.receiptNo,
    itemId: view.itemId,
    itemName: view.itemName,
    status: view.status,
    statusText: view.statusText,
    createdAt: view.createdAt,
    forWhom: view.forWhom,
    holder: view.holder,
    deadline: view.deadline,
    open: view.open,
    ratable: view.ratable,
    withdrawable: view.withdrawable,
    entrustmentPending: view.entrustmentPending,
    trackingCode: mp.trackingCodes.of(view.receiptNo),
  };
}

export function myErrands(mp: MiniProgramEnv, caller: Caller, now: number) {
  if (!caller.person) return [];
  return views(mp, errandsOfRequester(mp.database, caller.person.id, MY_ERRANDS_LIMIT), now).map((v) => summary(mp, v.view));
}

/** One of the caller's errands with its timeline, entrustments and one-time notices; anyone else's is not found. */
export function myErrand(mp: MiniProgramEnv, caller: Caller, receiptNo: string, now: number) {
  const found = errandByReceipt(mp.database, receiptNo);
  if (!found || !caller.person || found.errand.requesterId !== caller.person.id) throw new AppError('errand_not_found');
  const [{ view, events } = { view: undefined, events: [] }] = views(mp, [found], now);
  if (!view) throw new AppError('errand_not_found');
  const t = (key: string, vars: Record<string, unknown> = {}) => mp.templates.render(key, vars);
  return {
    ...summary(mp, view),
    timeline: events.map((e) => ({
      at: new Date(e.at).toISOString(),
      event: e.type,
      text: t('errand_view.event_line', { text: t(`event.${e.type}`), reason: e.reason }),
    })),
    entrustments: entrustmentsOf(mp.database, found.errand.id).map((e) => ({
      at: new Date(e.confirmedAt).toISOString(),
      textVersion: e.textVersion,
      text: e.text,
      privacyConsent: e.privacyConsent,
      channel: e.channel,
    })),
    notices: noticesOf(mp.database, found.errand.id).map((n) => ({
      version: n.version,
      kind: n.kind,
      items: n.items,
      issuedAt: new Date(n.issuedAt).toISOString(),
    })),
  };
}

const sameDigits = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Progress by receipt number and either the last four digits of the requester's phone or the
 * receipt's tracking code: status and a coarse timeline (dates and what happened, no reasons), names
 * masked. Null for any wrong combination — the caller cannot tell which part was wrong.
 */
export function progressOf(mp: MiniProgramEnv, receiptNo: string, proof: { phoneLast4: string } | { code: string }, now: number) {
  const found = errandByReceipt(mp.database, receiptNo);
  const requester = found ? personById(mp.database, found.errand.requesterId) : undefined;
  const phone = requester?.phone?.replace(/\D/g, '') ?? '';
  const matches =
    'code' in proof ? mp.trackingCodes.matches(receiptNo, proof.code) : sameDigits(phone.length >= 4 ? phone.slice(-4) : '----', proof.phoneLast4);
  if (!found || !requester || !matches) return null;
  const [{ view, events } = { view: undefined, events: [] }] = views(mp, [found], now);
  if (!view) return null;
  const directory = mp.context().directory;
  return {
    receiptNo: view.receiptNo,
    itemName: view.itemName,
    villageName: directory.village(found.errand.villageCode)?.name ?? '',
    requester: maskName(requester.name),
    status: view.status,
    statusText: view.statusText,
    holder: view.holder,
    deadline: view.deadline && { label: view.deadline.label, dueDate: view.deadline.dueDate, overdue: view.deadline.overdue },
    timeline: events.map((e) => ({ date: shanghaiDate(e.at), event: e.type, text: mp.templates.render(`event.${e.type}`, {}) })),
  };
}
