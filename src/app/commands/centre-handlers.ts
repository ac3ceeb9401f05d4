import { shanghaiDate } from '../../calendar/local-date.ts';
import { openRectificationOf, resolveRectification } from '../../db/rating-repository.ts';
import { errandNotifier } from '../errand-parties.ts';
import { toStaff } from '../notifications.ts';
import { inviteResident } from '../resident-invitations.ts';
import { reply } from './command-context.ts';
import { resolveDue } from './due-date.ts';
import { type Handler, dueLine, detailsFor, inviteToRate, reviewFor } from './errand-command-context.ts';

/** The centre's part and what follows it: 受理, 办结, 反馈, 暂缓, 续办, 转交, 整改. */

export const start: Handler = (ctx, command) => {
  if (command.name !== 'start') return reply('');
  const { env, errand, turn } = ctx;
  const calendar = env.calendars.forTownship(errand.townshipCode);
  const due = resolveDue(command.due, {
    today: shanghaiDate(turn.now),
    calendar,
    promisedDays: env.catalog.get(errand.itemId)?.promisedWorkingDays ?? env.deadlines.deliveryDays,
  });
  if (!due.ok) return reply(ctx.say(due.problem, due.vars));
  const moved = ctx.move('start', { days: { completion: due.workingDays }, data: { workingDays: due.workingDays } });
  const completion = moved.started.find((d) => d.kind === 'completion');
  const vars = { dueDate: completion?.dueDate ?? due.date, provisional: completion?.provisional ?? false };
  return { replies: [ctx.say('started', vars)], outbox: ctx.notifier('started').resident('notify.resident_started', vars) };
};

/**
 * 办结: the resident hears the result and how it reaches them (brought home or fetched); a refusal
 * (不予批准) names its reason and the routes to challenge it — 行政复议 within 60 days, 行政诉讼 within
 * 6 months — and for the priority groups the agent is asked to explain it at their home.
 */
export const complete: Handler = (ctx, command) => {
  if (command.name !== 'complete') return reply('');
  const moved = ctx.move('complete', { reason: command.result, patch: { outcome: command.approved ? 'approved' : 'rejected', resultNote: command.result } });
  const feedbackBy = moved.started.find((d) => d.kind === 'feedback')?.dueDate ?? '';
  const notify = ctx.notifier('completed');
  const review = reviewFor(ctx);
  const explain = !command.approved && ctx.parties.vars.priority === true;
  const vars = { result: command.result, feedbackBy, review, explain };
  return {
    replies: [ctx.say('completed', { approved: command.approved, review, explain })],
    outbox: [
      ...notify.resident(command.approved ? 'notify.resident_completed' : 'notify.resident_rejected', vars),
      ...notify.agents('notify.agent_completed', vars),
    ],
  };
};

export const feedBack: Handler = (ctx, command) => {
  const note = command.name === 'feed_back' ? command.note : null;
  const moved = ctx.move('feed_back', { reason: note });
  return {
    replies: [ctx.say('fed_back')],
    outbox: [...ctx.notifier('fed-back').resident('notify.resident_fed_back', { note }), ...inviteToRate(ctx, moved.after)],
  };
};

export const suspend: Handler = (ctx, command) => {
  if (command.name !== 'suspend') return reply('');
  ctx.move('suspend', { reason: command.reason });
  return { replies: [ctx.say('suspended')], outbox: ctx.notifier('suspended').resident('notify.resident_suspended', { reason: command.reason }) };
};

export const resume: Handler = (ctx) => {
  const moved = ctx.move('resume');
  const deadline = dueLine(ctx, moved);
  return { replies: [ctx.say('resumed', { deadline })], outbox: ctx.notifier('resumed').resident('notify.resident_resumed', { deadline }) };
};

export const reassign: Handler = (ctx, command) => {
  if (command.name !== 'reassign') return reply('');
  const { env, errand } = ctx;
  const agents = env.directory.staff('agent', { village: errand.villageCode });
  const wanted = command.to.replace(/^@/, '');
  const target = agents.find((a) => a.name === wanted || a.id === wanted || a.identities.some((i) => i.externalId === wanted));
  if (!target) return reply(ctx.say('no_such_agent', { name: wanted, names: agents.map((a) => a.name).join('、') }));
  if (target.id === errand.agentId) return reply(ctx.say('same_agent', { name: target.name }));
  const moved = ctx.move('reassign', { patch: { agentId: target.id }, reason: target.name });
  const parties = { ...ctx.parties, agent: target, vars: { ...ctx.parties.vars, agentName: target.name } };
  const notify = errandNotifier(env.database, env.directory, env.templates, parties, 'reassigned');
  const details = toStaff(
    [target],
    detailsFor({ ...ctx, parties }, moved.after),
    errand.id,
    `errand-${errand.id}-details-${target.id}-v${moved.after.version}`,
  );
  return {
    replies: [ctx.say('reassigned', { agentName: target.name })],
    outbox: [...details, ...notify.agentRoom('notify.room_reassigned'), ...notify.resident('notify.resident_reassigned')],
  };
};

export const rectify: Handler = (ctx, command) => {
  if (command.name !== 'rectify') return reply('');
  const { env, errand, turn } = ctx;
  const open = openRectificationOf(env.database, errand.id);
  if (!open || !resolveRectification(env.database, open.id, turn.actor.id, command.note, turn.now)) return reply(ctx.say('no_rectification'));
  const notify = ctx.notifier(`rectified-${open.id}`);
  const invite = inviteResident(env, {
    residentId: errand.requesterId,
    channel: errand.channel,
    flowId: 'rating',
    errandId: errand.id,
    laterText: env.templates.render('notify.rate_later', ctx.parties.vars),
    dedupeKey: `errand-${errand.id}-fix-invite-${open.id}`,
    now: turn.now,
  });
  return { replies: [ctx.say('rectified')], outbox: [...notify.resident('notify.rectified', { note: command.note }), ...invite] };
};
