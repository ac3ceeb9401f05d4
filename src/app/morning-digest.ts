import { shanghaiDate, yearOf, type LocalDate } from '../calendar/local-date.ts';
import { complaintBacklog } from '../db/complaint-repository.ts';
import { openErrandsFor, type ListedErrand, type ListScope } from '../db/listing-queries.ts';
import { insertOutbox, type NewOutboxMessage } from '../db/outbox-repository.ts';
import { maskName } from '../domain/masking.ts';
import { toRooms, toStaff } from './notifications.ts';
import type { AppContext } from './app-context.ts';

/**
 * The morning digest (每日早报), on working days only: each village's agent room gets the village's
 * open errands with their next deadlines, each township centre's room its queue, each supervisor a
 * county summary with the complaints still open and their time limits. Whether a day is a working day is asked of each township's own calendar (a local
 * closure skips only that township); supervisors go by the county's. Messages are outbox rows,
 * written in one transaction with a key per day and audience: running a day again sends nothing new.
 */

export type DigestEnv = Pick<AppContext, 'database' | 'directory' | 'calendars' | 'templates'>;

export type DigestOutcome = { kind: 'not_a_workday'; date: LocalDate } | { kind: 'sent'; date: LocalDate; outboxIds: number[] };

/** Errands listed in one room message; the rest are counted. */
export const DIGEST_LIST_LIMIT = 30;

const everywhere: ListScope = { agentId: null, villages: [], townships: [], everywhere: true };
const centreOf = (code: string): ListScope => ({ agentId: null, villages: [], townships: [code], everywhere: false });

interface Tally {
  open: number;
  overdue: number;
  dueToday: number;
}

function tally(errands: readonly ListedErrand[], date: LocalDate, now: number): Tally {
  return {
    open: errands.length,
    overdue: errands.filter((e) => e.dueAt !== null && e.dueAt < now).length,
    dueToday: errands.filter((e) => e.dueDate === date && (e.dueAt === null || e.dueAt >= now)).length,
  };
}

export function runMorningDigest(env: DigestEnv, now: number): DigestOutcome {
  const { database, directory, calendars, templates } = env;
  const date = shanghaiDate(now);
  const countyCalendar = calendars.forTownship(null);
  if (countyCalendar.coverage(yearOf(date)) !== 'official') calendars.noteUncertainYears([yearOf(date)]);
  const workday = (township: string | null) => calendars.forTownship(township).isWorkday(date);
  const townshipCodes = [...new Set(directory.villages.map((v) => directory.village(v.code)?.townshipCode ?? ''))].filter(Boolean).sort();
  if (!countyCalendar.isWorkday(date) && !townshipCodes.some(workday)) return { kind: 'not_a_workday', date };

  const line = (e: ListedErrand, who: string) => ({
    receiptNo: e.receiptNo,
    itemName: e.itemName,
    who,
    stage: templates.render(`status.${e.status}`, {}),
    deadline: e.dueDate
      ? templates.render('digest.deadline', {
          label: templates.render(`deadline.${e.deadlineKind ?? 'claim'}`, {}),
          dueDate: e.dueDate,
          overdue: e.dueAt !== null && e.dueAt < now,
          today: e.dueDate === date,
        })
      : null,
  });
  const listVars = (errands: readonly ListedErrand[], who: (e: ListedErrand) => string) => ({
    date,
    total: errands.length,
    overdue: tally(errands, date, now).overdue,
    errands: errands.slice(0, DIGEST_LIST_LIMIT).map((e) => line(e, who(e))),
    more: Math.max(0, errands.length - DIGEST_LIST_LIMIT),
  });

  // Every open errand of the county, soonest deadline first (the query behind 待办).
  const open = openErrandsFor(database, everywhere, now, Number.MAX_SAFE_INTEGER).errands;
  const key = `digest-${date}`;
  const messages: NewOutboxMessage[] = [];

  for (const v of directory.villages) {
    const village = directory.village(v.code);
    if (!village || !workday(village.townshipCode)) continue;
    const errands = open.filter((e) => e.villageCode === v.code);
    if (!errands.length) continue;
    const text = templates.render('digest.village_room', { ...listVars(errands, (e) => maskName(e.residentName)), villageName: v.name });
    messages.push(...toRooms(directory.agentRooms(v.code), text, null, key));
  }

  for (const code of townshipCodes) {
    const township = directory.township(code);
    const rooms = directory.centreRooms(code);
    if (!township || !rooms.length || !workday(code)) continue;
    const errands = openErrandsFor(database, centreOf(code), now, Number.MAX_SAFE_INTEGER).errands;
    if (!errands.length) continue;
    const who = (e: ListedErrand) => `${directory.village(e.villageCode)?.name ?? ''} ${maskName(e.residentName)}`.trim();
    messages.push(...toRooms(rooms, templates.render('digest.centre_room', { ...listVars(errands, who), centreName: township.centre.name }), null, key));
  }

  const supervisors = directory.staff('supervisor', {});
  if (supervisors.length && countyCalendar.isWorkday(date)) {
    const townshipOf = (e: ListedErrand) => directory.village(e.villageCode)?.townshipCode ?? '';
    const text = templates.render('digest.supervisor', {
      date,
      countyName: directory.county.name,
      ...tally(open, date, now),
      townships: townshipCodes.map((code) => ({
        name: directory.township(code)?.name ?? code,
        ...tally(
          open.filter((e) => townshipOf(e) === code),
          date,
          now,
        ),
      })),
      // Complaints have a time limit too: the supervisors are reminded of it here every working morning.
      complaints: complaintBacklog(database, date, now),
    });
    messages.push(...toStaff(supervisors, text, null, key));
  }

  const outboxIds = database.write(() => insertOutbox(database, messages, now));
  return { kind: 'sent', date, outboxIds };
}
