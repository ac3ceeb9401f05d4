import { reply, toSpeaker } from './command-context.ts';
import { type Handler, detailsFor, inviteToRate } from './errand-command-context.ts';

/** A centre → village errand: 取件, 已办, 交回, 收到. */

export const pickUp: Handler = (ctx) => {
  const moved = ctx.move('pick_up', { patch: { agentId: ctx.errand.agentId ?? ctx.turn.actor.id } });
  return {
    replies: [ctx.say('picked_up', { dueBy: moved.started[0]?.dueDate ?? '' })],
    outbox: toSpeaker(ctx.turn, detailsFor(ctx, moved.after), `errand-${ctx.errand.id}-details-${ctx.turn.actor.id}-v${moved.after.version}`, ctx.errand.id),
  };
};

export const finishHandling: Handler = (ctx, command) => {
  const note = command.name === 'finish_handling' ? command.note : null;
  const moved = ctx.move('finish_handling', { reason: note });
  return reply(ctx.say('finished_handling', { dueBy: moved.started[0]?.dueDate ?? '' }));
};

export const handBack: Handler = (ctx) => {
  ctx.move('hand_back');
  return { replies: [ctx.say('handed_back')], outbox: ctx.notifier('handed-back').centreRoom('notify.room_handed_back') };
};

/** 收到: the centre confirms the hand-back; the result goes home with the agent, or the resident is told to collect it (取件). */
export const confirmHandBack: Handler = (ctx) => {
  ctx.move('confirm_hand_back');
  const moved = ctx.move('feed_back');
  const township = ctx.parties.township;
  const notify = ctx.notifier('collect');
  // The priority groups are never told to travel: the agent brings the result home unless they chose to fetch it.
  const home = ctx.parties.vars.delivery === 'home';
  return {
    replies: [ctx.say('confirmed_hand_back')],
    outbox: [
      ...notify.resident('notify.resident_collect', { address: township?.centre.address ?? '', hours: township?.centre.hours ?? '' }),
      ...(home ? notify.agents('notify.agent_deliver_home') : []),
      ...inviteToRate(ctx, moved.after),
    ],
  };
};
