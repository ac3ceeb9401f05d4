import { shanghaiDate, yearOf } from '../../calendar/local-date.ts';
import { insertNotice } from '../../db/errand-repository.ts';
import { enterInLedger, markPaperEntrustment } from '../../db/ledger-repository.ts';
import { needsBeneficiarySignature } from '../../domain/beneficiary.ts';
import { materialsFromNotices } from '../../db/material-return-repository.ts';
import { errandNotifier } from '../errand-parties.ts';
import { reply, toSpeaker } from './command-context.ts';
import { noticeItems } from './return-notice.ts';
import { type Handler, inRoom, detailsFor, reviewFor } from './errand-command-context.ts';

/** Taking an errand in: 接单, 收件, 退件/打回, 拒办, 递交. */

export const claim: Handler = (ctx) => {
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

export const accept: Handler = (ctx, command) => {
  const { env, errand, turn } = ctx;
  const paperSigned = command.name === 'accept' && command.paperSigned;
  if (errand.entrustmentStatus === 'pending' && !paperSigned) return reply(ctx.say('entrustment_pending'));
  const b = errand.beneficiary;
  // An adult family member signs a paper form the agent brings; a minor's guardian signed in chat.
  const family = needsBeneficiarySignature(b);
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
    materials: materialsFromNotices(env.database, errand.id),
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

export const returnMaterials: Handler = (ctx, command) => {
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

export const refuse: Handler = (ctx, command) => {
  if (command.name !== 'refuse') return reply('');
  ctx.move('refuse', { reason: command.reason });
  // The resident hears the reason, that they may still apply themselves, and the routes against the department's decision.
  const item = ctx.env.catalog.get(ctx.errand.itemId);
  const review = reviewFor(ctx);
  const priority = ctx.parties.vars.priority === true;
  const notify = ctx.notifier('refused');
  const vars = { reason: command.reason, place: item?.department.place ?? '', review };
  return {
    replies: [ctx.say('refused', { priority })],
    outbox: [...notify.resident('notify.resident_refused', vars), ...(priority ? notify.agents('notify.agent_explain_refusal', vars) : [])],
  };
};

export const submit: Handler = (ctx) => {
  ctx.move('submit');
  const notify = ctx.notifier('submitted');
  return { replies: [ctx.say('submitted')], outbox: [...notify.resident('notify.resident_submitted'), ...notify.centreRoom('notify.room_submitted')] };
};
