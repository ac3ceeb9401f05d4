import { shanghaiDate, yearOf } from '../../calendar/local-date.ts';
import { authoriseCommand, type AuthRefusal } from '../../commands/command-authorisation.ts';
import { commandSpec, type CommandName } from '../../commands/command-catalog.ts';
import type { Command } from '../../commands/command-grammar.ts';
import { findErrandByReceipt, insertNotice, type ErrandRow } from '../../db/errand-repository.ts';
import { enterInLedger, markPaperEntrustment } from '../../db/ledger-repository.ts';
import { openRectificationOf, resolveRectification } from '../../db/rating-repository.ts';
import { isTerminal, transition, type ErrandEvent, type ErrandStatus } from '../../domain/errand-lifecycle.ts';
import type { PersonRole } from '../../domain/roles.ts';
import { errandNotifier, errandParties, type ErrandParties, type Notifier } from '../errand-parties.ts';
import { moveErrand, type Moved } from '../move-errand.ts';
import { toStaff } from '../notifications.ts';
import { inviteResident } from '../resident-invitations.ts';
import { reply, toSpeaker, type CommandEnv, type CommandResult, type CommandTurn } from './command-context.ts';
import { resolveDue } from './due-date.ts';
import { errandInRoom, roomName } from './room-scope.ts';
import { roomVars } from '../room-privacy.ts';
import { noticeItems } from './return-notice.ts';

/**
 * Commands on one errand (接单, 收件, 退件, 递交, 受理, 办结, 反馈, 暂缓, 续办, 转交, 取件, 已办, 交回, 收到,
 * 整改…): find it, check who may (authorisation) and whether it fits its state (the lifecycle
 * table), move it, and tell everyone it concerns. A refusal names the problem and who can act.
 */

export type ErrandCommand = Extract<Command, { receiptNo: string }>;

const EVENT_OF: Partial<Record<CommandName, ErrandEvent>> = {
  claim: 'claim',
  accept: 'accept',
  return: 'return',
  centre_return: 'return',
  refuse: 'refuse',
  submit: 'submit',
  feed_back: 'feed_back',
  suspend: 'suspend',
  resume: 'resume',
  reassign: 'reassign',
  start: 'start',
  complete: 'complete',
  pick_up: 'pick_up',
  finish_handling: 'finish_handling',
  hand_back: 'hand_back',
  confirm_hand_back: 'confirm_hand_back',
};

/** Where the command leaves the errand: found there already, the command was done before. */
const DONE_STATUS: Partial<Record<CommandName, ErrandStatus>> = {
  claim: 'claimed',
  accept: 'accepted',
  return: 'returned',
  centre_return: 'returned',
  refuse: 'refused',
  submit: 'submitted',
  feed_back: 'fed_back',
  suspend: 'suspended',
  start: 'in_progress',
  complete: 'completed',
  pick_up: 'picked_up',
  finish_handling: 'handled',
  hand_back: 'handed_back',
  confirm_hand_back: 'fed_back',
};

interface Ctx {
  env: CommandEnv;
  turn: CommandTurn;
  errand: ErrandRow;
  role: PersonRole;
  parties: ErrandParties;
  say(key: string, vars?: Record<string, unknown>): string;
  /** The same, unmasked: for what goes to the speaker privately. */
  sayPrivately(key: string, vars?: Record<string, unknown>): string;
  notifier(tag: string): Notifier;
  move(
    event: ErrandEvent,
    options?: {
      reason?: string | null;
      patch?: Parameters<typeof moveErrand>[1]['patch'];
      days?: Parameters<typeof moveErrand>[1]['days'];
      data?: Record<string, unknown>;
    },
  ): Moved;
}

export function runErrandCommand(env: CommandEnv, turn: CommandTurn, command: ErrandCommand): CommandResult {
  const { database, directory, templates } = env;
  const say = (key: string, vars: Record<string, unknown> = {}) => templates.render(`cmd.${key}`, { receiptNo: command.receiptNo, ...vars });
  const errand = findErrandByReceipt(database, command.receiptNo);
  if (!errand) return reply(say('unknown_receipt'));

  const auth = authoriseCommand({ personId: turn.actor.id, grants: turn.actor.grants }, command.name, errand);
  if (!auth.ok) return reply(refusalText(env, command, auth.refusal, say));
  // A supervisor (or centre staff) in a group reaches only the group's own errands.
  if (turn.scope && turn.room && !errandInRoom(turn.scope, errand)) return reply(say('room_other_errand', { roomName: roomName(directory, turn.room) }));

  const itemName = env.catalog.get(errand.itemId)?.name ?? errand.itemId;
  const parties = errandParties(database, directory, errand, itemName);
  const action = commandSpec(command.name).words[0] ?? command.name;
  const event = EVENT_OF[command.name];
  if (event) {
    // The grammar already insists on reasons; here only the state matters.
    const check = transition(
      { direction: errand.direction, status: errand.status as ErrandStatus, suspendedFrom: errand.suspendedFrom as ErrandStatus | null },
      event,
      auth.role,
      null,
    );
    if (!check.ok && check.refusal.kind !== 'reason_required') return reply(stateRefusal(env, command.name, errand, turn, action, say));
  }

  const ctx: Ctx = {
    env,
    turn,
    errand,
    role: auth.role,
    parties,
    // Everyone in a group reads the answer: there the names are masked and no phone is shown.
    say: (key, vars = {}) => say(key, turn.room ? roomVars({ ...parties.vars, ...vars }) : { ...parties.vars, ...vars }),
    sayPrivately: (key, vars = {}) => say(key, { ...parties.vars, ...vars }),
    notifier: (tag) => errandNotifier(database, directory, templates, parties, tag),
    move: (ev, options = {}) =>
      moveErrand(env, { errandId: errand.id, event: ev, actor: { personId: turn.actor.id, role: auth.role }, now: turn.now, ...options }),
  };
  return HANDLERS[command.name](ctx, command);
}

function refusalText(env: CommandEnv, command: ErrandCommand, refusal: AuthRefusal, say: (key: string, vars?: Record<string, unknown>) => string): string {
  const { directory, templates } = env;
  switch (refusal.kind) {
    case 'role':
      return say('refused_role', {
        command: commandSpec(command.name).words[0],
        allowed: refusal.allowed.map((r) => templates.render(`role.${r}`, {})).join('或'),
      });
    case 'other_village':
      return say('refused_village', { villageName: directory.village(refusal.villageCode)?.name ?? refusal.villageCode });
    case 'other_township':
      return say('refused_township', { townshipName: directory.township(refusal.townshipCode)?.name ?? refusal.townshipCode });
    case 'not_assigned':
      return say('refused_assigned', { agentName: directory.staffById(refusal.agentId)?.name ?? refusal.agentId });
  }
}

function stateRefusal(
  env: CommandEnv,
  name: CommandName,
  errand: ErrandRow,
  turn: CommandTurn,
  action: string,
  say: (key: string, vars?: Record<string, unknown>) => string,
): string {
  const status = errand.status as ErrandStatus;
  const statusText = env.templates.render(`status.${status}`, {});
  if (name === 'claim' && status !== 'requested' && errand.agentId && errand.agentId !== turn.actor.id) {
    return say('claim_taken', { agentName: env.directory.staffById(errand.agentId)?.name ?? '' });
  }
  if (
    DONE_STATUS[name] === status &&
    (!errand.agentId || errand.agentId === turn.actor.id || name === 'start' || name === 'complete' || name === 'confirm_hand_back')
  ) {
    return say('already_done', { action });
  }
  if (isTerminal(status)) return say('closed_errand', { statusText, action });
  return say('not_in_state', { statusText, action });
}

type Handler = (ctx: Ctx, command: ErrandCommand) => CommandResult;

/** Room answers carry the masked view only; the speaker gets details privately. */
const inRoom = (ctx: Ctx) => ctx.turn.room !== null;
const dueLine = (ctx: Ctx, moved: Moved) => {
  const d = moved.next;
  return d?.dueDate
    ? ctx.env.templates.render('cmd.deadline_line', { label: ctx.env.templates.render(`deadline.${d.kind}`, {}), dueDate: d.dueDate, overdue: false })
    : null;
};

function detailsFor(ctx: Ctx, errand: ErrandRow): string {
  const { env } = ctx;
  const item = env.catalog.get(errand.itemId);
  const materials = (item?.materials ?? []).map((m) => `${m.name}${m.when ? `（${m.when}）` : ''} ×${m.count}`);
  return ctx.sayPrivately('details', {
    forWhom: ctx.parties.vars.forWhom ?? env.templates.render('errand_view.for_self', {}),
    entrustment: env.templates.render(`entrustment_status.${errand.entrustmentStatus}`, {}),
    statusText: env.templates.render(`status.${errand.status}`, {}),
    deadline: null,
    materials,
  });
}

const claim: Handler = (ctx) => {
  const moved = ctx.move('claim', { patch: { agentId: ctx.turn.actor.id } });
  const notify = errandNotifier(
    ctx.env.database,
    ctx.env.directory,
    ctx.env.templates,
    { ...ctx.parties, agent: ctx.turn.actor, vars: { ...ctx.parties.vars, agentName: ctx.turn.actor.name } },
    'claimed',
  );
  const roomText = ctx.say('claimed_room', { agentName: ctx.turn.actor.name });
  const others = notify.agentRoom('cmd.claimed_room').filter((m) => m.room !== ctx.turn.room?.externalId);
  const outbox = [
    ...others,
    ...notify.resident('notify.resident_claimed'),
    ...toSpeaker(ctx.turn, detailsFor(ctx, moved.after), `errand-${ctx.errand.id}-details-${ctx.turn.actor.id}-v${moved.after.version}`, ctx.errand.id),
  ];
  return { replies: [inRoom(ctx) ? roomText : ctx.say('claimed')], outbox };
};

const accept: Handler = (ctx, command) => {
  const { env, errand, turn } = ctx;
  const paperSigned = command.name === 'accept' && command.paperSigned;
  if (errand.entrustmentStatus === 'pending' && !paperSigned) return reply(ctx.say('entrustment_pending'));
  const b = errand.beneficiary;
  const family = b.kind === 'family';
  if (family && !paperSigned && errand.entrustmentStatus !== 'paper')
    return reply(ctx.say('paper_needed', { relation: b.relation ?? '', beneficiaryName: b.name ?? '' }));
  if (paperSigned) markPaperEntrustment(env.database, errand.id);
  const moved = ctx.move('accept', {
    patch: { agentId: errand.agentId ?? turn.actor.id, ...(errand.entrustmentStatus === 'pending' ? { entrustmentStatus: 'paper' as const } : {}) },
    data: { paperEntrustmentSigned: family || paperSigned ? true : null },
  });
  const ledger = enterInLedger(env.database, {
    errandId: errand.id,
    villageCode: errand.villageCode,
    year: yearOf(shanghaiDate(turn.now)),
    agentId: moved.after.agentId ?? turn.actor.id,
    paperEntrustmentSigned: family ? true : null,
    at: turn.now,
  });
  const deliveryBy = moved.started.find((d) => d.kind === 'delivery')?.dueDate ?? shanghaiDate(turn.now);
  const agent = env.directory.staffById(moved.after.agentId ?? turn.actor.id) ?? turn.actor;
  const parties = {
    ...ctx.parties,
    agent,
    vars: { ...ctx.parties.vars, agentName: agent.name, agentPhone: agent.publicProfile?.phone ?? agent.phone, entryNo: ledger.entryNo, deliveryBy },
  };
  const notify = errandNotifier(env.database, env.directory, env.templates, parties, 'accepted');
  const vars = { entryNo: ledger.entryNo, deliveryBy };
  return { replies: [inRoom(ctx) ? ctx.say('accepted_room', vars) : ctx.say('accepted', vars)], outbox: notify.resident('notify.receipt') };
};

const returnMaterials: Handler = (ctx, command) => {
  const { env, errand, turn } = ctx;
  if (command.name !== 'return' && command.name !== 'centre_return') return reply('');
  const items = noticeItems(env.catalog.get(errand.itemId), command.items);
  ctx.move('return', { reason: command.items.join('、') });
  const version = insertNotice(env.database, {
    errandId: errand.id,
    kind: 'return',
    items,
    catalogItemVersion: env.catalog.versionOf(errand.itemId),
    issuedBy: turn.actor.id,
    at: turn.now,
  });
  const notify = ctx.notifier(`returned-${version}`);
  const added = items.filter((i) => !i.inCatalogue).map((i) => i.name);
  const outbox = [...notify.resident('notify.resident_returned', { items: items.map((i) => i.name), reason: null, at: turn.now, version })];
  if (added.length) {
    outbox.push(...notify.staff(env.directory.staff('supervisor', {}), 'notify.supervisor_added_obligation', { items: added.join('、'), by: turn.actor.name }));
  }
  if (command.name === 'centre_return') outbox.push(...notify.agents('notify.agent_returned_by_centre', { items: command.items.join('、') }));
  const vars = { count: items.length, added: added.length ? added.join('、') : null };
  return { replies: [ctx.say(command.name === 'return' ? 'returned' : 'centre_returned', vars)], outbox };
};

const refuse: Handler = (ctx, command) => {
  if (command.name !== 'refuse') return reply('');
  ctx.move('refuse', { reason: command.reason });
  return { replies: [ctx.say('refused')], outbox: ctx.notifier('refused').resident('notify.resident_refused', { reason: command.reason }) };
};

const submit: Handler = (ctx) => {
  ctx.move('submit');
  const notify = ctx.notifier('submitted');
  return { replies: [ctx.say('submitted')], outbox: [...notify.resident('notify.resident_submitted'), ...notify.centreRoom('notify.room_submitted')] };
};

const start: Handler = (ctx, command) => {
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

const complete: Handler = (ctx, command) => {
  if (command.name !== 'complete') return reply('');
  const moved = ctx.move('complete', { reason: command.result, patch: { outcome: command.approved ? 'approved' : 'rejected', resultNote: command.result } });
  const feedbackBy = moved.started.find((d) => d.kind === 'feedback')?.dueDate ?? '';
  const notify = ctx.notifier('completed');
  const vars = { result: command.result, feedbackBy };
  return {
    replies: [ctx.say('completed', { approved: command.approved })],
    outbox: [...notify.resident('notify.resident_completed', vars), ...notify.agents('notify.agent_completed', vars)],
  };
};

/** After the result reaches the resident, they are asked to rate it (now if idle, else later). */
function inviteToRate(ctx: Ctx, errand: ErrandRow): CommandResult['outbox'] {
  const { env, turn } = ctx;
  const laterText = env.templates.render('notify.rate_later', ctx.parties.vars);
  return inviteResident(env, {
    residentId: errand.requesterId,
    channel: errand.channel,
    flowId: 'rating',
    errandId: errand.id,
    laterText,
    dedupeKey: `errand-${errand.id}-v${errand.version}-rate-invite`,
    now: turn.now,
  });
}

const feedBack: Handler = (ctx, command) => {
  const note = command.name === 'feed_back' ? command.note : null;
  const moved = ctx.move('feed_back', { reason: note });
  return {
    replies: [ctx.say('fed_back')],
    outbox: [...ctx.notifier('fed-back').resident('notify.resident_fed_back', { note }), ...inviteToRate(ctx, moved.after)],
  };
};

const suspend: Handler = (ctx, command) => {
  if (command.name !== 'suspend') return reply('');
  ctx.move('suspend', { reason: command.reason });
  return { replies: [ctx.say('suspended')], outbox: ctx.notifier('suspended').resident('notify.resident_suspended', { reason: command.reason }) };
};

const resume: Handler = (ctx) => {
  const moved = ctx.move('resume');
  const deadline = dueLine(ctx, moved);
  return { replies: [ctx.say('resumed', { deadline })], outbox: ctx.notifier('resumed').resident('notify.resident_resumed', { deadline }) };
};

const reassign: Handler = (ctx, command) => {
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

const pickUp: Handler = (ctx) => {
  const moved = ctx.move('pick_up', { patch: { agentId: ctx.errand.agentId ?? ctx.turn.actor.id } });
  return {
    replies: [ctx.say('picked_up', { dueBy: moved.started[0]?.dueDate ?? '' })],
    outbox: toSpeaker(ctx.turn, detailsFor(ctx, moved.after), `errand-${ctx.errand.id}-details-${ctx.turn.actor.id}-v${moved.after.version}`, ctx.errand.id),
  };
};

const finishHandling: Handler = (ctx, command) => {
  const note = command.name === 'finish_handling' ? command.note : null;
  const moved = ctx.move('finish_handling', { reason: note });
  return reply(ctx.say('finished_handling', { dueBy: moved.started[0]?.dueDate ?? '' }));
};

const handBack: Handler = (ctx) => {
  ctx.move('hand_back');
  return { replies: [ctx.say('handed_back')], outbox: ctx.notifier('handed-back').centreRoom('notify.room_handed_back') };
};

/** 收到: the centre confirms the hand-back, and tells the resident to collect the result (取件). */
const confirmHandBack: Handler = (ctx) => {
  ctx.move('confirm_hand_back');
  const moved = ctx.move('feed_back');
  const township = ctx.parties.township;
  const notify = ctx.notifier('collect');
  return {
    replies: [ctx.say('confirmed_hand_back')],
    outbox: [
      ...notify.resident('notify.resident_collect', { address: township?.centre.address ?? '', hours: township?.centre.hours ?? '' }),
      ...inviteToRate(ctx, moved.after),
    ],
  };
};

const rectify: Handler = (ctx, command) => {
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

const HANDLERS: Record<ErrandCommand['name'], Handler> = {
  claim,
  accept,
  return: returnMaterials,
  centre_return: returnMaterials,
  refuse,
  submit,
  start,
  complete,
  feed_back: feedBack,
  suspend,
  resume,
  reassign,
  pick_up: pickUp,
  finish_handling: finishHandling,
  hand_back: handBack,
  confirm_hand_back: confirmHandBack,
  rectify,
};
