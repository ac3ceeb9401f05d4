import { appendEvent, updateErrandStatus } from '../../db/errand-repository.ts';
import { materialReturnOf, recordMaterialsReturned } from '../../db/material-return-repository.ts';
import type { ErrandStatus } from '../../domain/errand-lifecycle.ts';
import { materialList } from '../errand-views.ts';
import { planReturnClock } from '../material-returns.ts';
import { reply } from './command-context.ts';
import type { Handler } from './errand-command-context.ts';

/**
 * 退还: a withdrawn errand's materials were given back to the resident. Recorded with who, when and
 * the note (material_returns and the history), the return clock met, the resident told with the list.
 * Any agent of the village may record it; centre staff only while the materials are still at the centre.
 */
export const giveBack: Handler = (ctx, command) => {
  const { env, errand, turn } = ctx;
  const note = command.name === 'give_back' ? command.note : null;
  const owed = materialReturnOf(env.database, errand.id);
  if (!owed) {
    if (errand.status !== 'withdrawn') return reply(ctx.say('give_back_not_withdrawn', { statusText: env.templates.render(`status.${errand.status}`, {}) }));
    return reply(ctx.say('give_back_nothing_held'));
  }
  const already = () =>
    reply(ctx.say('give_back_already', { at: owed.returnedAt ?? turn.now, by: env.directory.staffById(owed.returnedBy ?? '')?.name ?? '' }));
  if (owed.returnedAt !== null) return already();
  if (ctx.role === 'centre_staff' && owed.heldAt !== 'centre') return reply(ctx.say('give_back_with_agent'));
  if (!recordMaterialsReturned(env.database, { errandId: errand.id, by: turn.actor.id, role: ctx.role, note, at: turn.now })) return already();

  // The history shows the return: a same-state event, with the version moved on (stale reminder jobs stop).
  const status = errand.status as ErrandStatus;
  const version = updateErrandStatus(env.database, errand, { status, suspendedFrom: errand.suspendedFrom as ErrandStatus | null, now: turn.now });
  appendEvent(env.database, {
    errandId: errand.id,
    version,
    type: 'give_back',
    fromStatus: status,
    toStatus: status,
    actorPersonId: turn.actor.id,
    actorRole: ctx.role,
    at: turn.now,
    reason: note,
    data: { items: owed.items.map((m) => m.name) },
  });
  planReturnClock(env, errand, 'meet', turn.now);
  return {
    replies: [ctx.say('given_back', { materials: materialList(env.templates, owed.items, 'staff') })],
    outbox: ctx.notifier('given-back').resident('notify.materials_returned', { materials: materialList(env.templates, owed.items, 'resident'), note }),
  };
};
