import { errandsWithRunningClocks, recordAlert, sentSteps } from '../db/alert-repository.ts';
import { findErrandById, openDeadlines, type ErrandRow, type StoredDeadline } from '../db/errand-repository.ts';
import { insertOutbox, type NewOutboxMessage } from '../db/outbox-repository.ts';
import { alertSteps, escalationChain, ratingSteps, stepsToSchedule, type AlertStep, type Audience } from '../domain/deadline-alerts.ts';
import { errandNotifier, errandParties } from './errand-parties.ts';
import type { ErrandEnv } from './file-errand.ts';
import { moveErrand } from './move-errand.ts';
import { inviteResident, type InvitationEnv } from './resident-invitations.ts';
import type { AppContext } from './app-context.ts';

/**
 * Deadline alerts as the application sees them: which jobs an errand's running clocks need now,
 * and what one job does when it fires — nothing at all when the errand has moved on since it was
 * scheduled (its version, the clock or its due time changed), else the messages of its step, once.
 */

export interface AlertJobData {
  errandId: number;
  /** The errand's version when the job was scheduled: any later move makes the job stale. */
  version: number;
  deadlineId: number;
  dueAt: number;
  step: string;
  at: number;
}

export type AlertEnv = ErrandEnv & InvitationEnv & Pick<AppContext, 'alertPolicy'>;

/** The id of an alert job: carries the errand's version; no ':' and never all digits (BullMQ). */
export const alertJobId = (d: AlertJobData) => `alert-e${d.errandId}-v${d.version}-d${d.deadlineId}-${d.step}`;

function stepsOf(env: AlertEnv, townshipCode: string, d: StoredDeadline): AlertStep[] {
  if (d.status !== 'running' || !d.dueDate || d.dueAt === null) return [];
  const clock = { kind: d.kind, startedAt: d.startedAt, dueDate: d.dueDate, dueAt: d.dueAt };
  const calendar = env.calendars.forTownship(townshipCode);
  if (d.kind === 'rating') return ratingSteps(clock, calendar, env.alertPolicy.hours, env.deadlines.ratingReminderDays);
  return alertSteps(clock, calendar, env.alertPolicy);
}

/** The rating window's steps: invite the resident once more, or archive the errand when it ends. */
function fireRatingStep(env: AlertEnv, errand: ErrandRow, step: AlertStep, now: number): AlertOutcome {
  if (errand.status !== 'fed_back') return { kind: 'stale' };
  if (step.step === 'a') {
    moveErrand(env, {
      errandId: errand.id,
      event: 'archive',
      actor: { personId: null, role: 'system' },
      reason: env.templates.render('reason.rating_window_closed', {}),
      now,
    });
    return { kind: 'sent', outboxIds: [] };
  }
  const parties = errandParties(env.database, env.directory, errand, env.catalog.get(errand.itemId)?.name ?? errand.itemId);
  const laterText = env.templates.render('notify.rate_later', parties.vars);
  const dedupeKey = `errand-${errand.id}-v${errand.version}-rating-reminder`;
  const invitation = inviteResident(env, {
    residentId: errand.requesterId,
    channel: errand.channel,
    flowId: 'rating',
    errandId: errand.id,
    laterText,
    dedupeKey,
    now,
  });
  return { kind: 'sent', outboxIds: insertOutbox(env.database, invitation, now) };
}

/**
 * The next alert job of each running clock of these errands (steps already sent are left out). One
 * job per clock at a time: when it fires, the worker schedules the clock's next step.
 */
export function alertJobsFor(env: AlertEnv, errandIds: Iterable<number>, now: number): AlertJobData[] {
  const jobs: AlertJobData[] = [];
  for (const errandId of errandIds) {
    const errand = findErrandById(env.database, errandId);
    if (!errand) continue;
    for (const d of openDeadlines(env.database, errandId)) {
      const steps = stepsOf(env, errand.townshipCode, d);
      if (!steps.length || d.dueAt === null) continue;
      const [next] = stepsToSchedule(steps, sentSteps(env.database, d.id, d.dueAt), now);
      if (next) jobs.push({ errandId, version: errand.version, deadlineId: d.id, dueAt: d.dueAt, step: next.step, at: next.at });
    }
  }
  return jobs;
}

/** Every errand with a running clock, in batches (to rebuild the jobs after Redis lost them). */
export function* allAlertJobs(env: AlertEnv, now: number, batch = 500): Generator<AlertJobData[]> {
  for (let after = 0; ;) {
    const ids = errandsWithRunningClocks(env.database, after, batch);
    if (!ids.length) return;
    yield alertJobsFor(env, ids, now);
    after = ids[ids.length - 1] ?? after;
  }
}

export type AlertOutcome = { kind: 'sent'; outboxIds: number[] } | { kind: 'stale' | 'duplicate' } | { kind: 'early'; at: number };

/** Runs one alert job inside a write transaction. */
export function fireAlert(env: AlertEnv, job: AlertJobData, now: number): AlertOutcome {
  const { database } = env;
  return database.write(() => {
    const errand = findErrandById(database, job.errandId);
    if (!errand || errand.version !== job.version) return { kind: 'stale' };
    const deadline = openDeadlines(database, errand.id).find((d) => d.id === job.deadlineId);
    if (!deadline || deadline.status !== 'running' || deadline.dueAt !== job.dueAt || !deadline.dueDate) return { kind: 'stale' };
    const step = stepsOf(env, errand.townshipCode, deadline).find((s) => s.step === job.step);
    if (!step) return { kind: 'stale' };
    // A clock that jumped back (or a job run early) waits for its time.
    if (now < step.at) return { kind: 'early', at: step.at };
    if (!recordAlert(database, { deadlineId: deadline.id, dueAt: deadline.dueAt, step: step.step, errandId: errand.id, at: now })) return { kind: 'duplicate' };
    if (step.audience === 'resident') return fireRatingStep(env, errand, step, now);

    const parties = errandParties(database, env.directory, errand, env.catalog.get(errand.itemId)?.name ?? errand.itemId);
    const notify = errandNotifier(database, env.directory, env.templates, parties, `alert-d${deadline.id}-t${deadline.dueAt}-${step.step}`);
    const template = step.step.startsWith('r') ? 'alert.reminder' : 'alert.escalation';
    const vars = { deadlineLabel: env.templates.render(`deadline.${deadline.kind}`, {}), dueDate: deadline.dueDate, holder: parties.agent?.name ?? '' };
    const to: Record<Audience, () => NewOutboxMessage[]> = {
      agent: () => notify.agents(template, vars),
      village_room: () => notify.agentRoom(template, vars),
      centre_room: () => notify.centreRoom(template, vars),
      supervisor: () => notify.staff(env.directory.staff('supervisor', {}), template, vars),
    };
    // A level nobody fills (a village without an agents' room, a township without a centre room)
    // passes the alert up the chain, to the supervisors at the latest: an alert never goes nowhere.
    const chain = escalationChain[deadline.kind];
    const levels: Audience[] = [...chain.slice(Math.max(0, chain.indexOf(step.audience))), 'supervisor'];
    let messages: NewOutboxMessage[] = [];
    for (const audience of levels) {
      messages = to[audience]();
      if (messages.length) break;
    }
    return { kind: 'sent', outboxIds: insertOutbox(database, messages, now) };
  });
}
