import { openDeadlines, saveDeadlines } from '../db/errand-repository.ts';
import { insertMaterialReturn, ledgerMaterialsOf } from '../db/material-return-repository.ts';
import type { NewOutboxMessage } from '../db/outbox-repository.ts';
import { planDeadlines, type Deadline } from '../domain/deadline-clock.ts';
import type { DeadlineOps, ErrandStatus } from '../domain/errand-lifecycle.ts';
import { custodyOf, type MaterialCustody } from '../domain/material-custody.ts';
import { materialList } from './errand-views.ts';
import { deadlineDays } from './deadline-policy.ts';
import { errandNotifier, errandParties } from './errand-parties.ts';
import type { ErrandEnv } from './file-errand.ts';
import type { Moved } from './move-errand.ts';

/**
 * What a withdrawal means for the materials taken in (domain/material-custody.ts): when the ledger
 * holds some, a return task for the agent with its clock (退还材料期限), and notices — the agent
 * privately with the list, the agents' room masked, the centre's room when they were delivered.
 * Nothing taken in: the agent and the room are told the errand is withdrawn, as before.
 */

const ops = (start: DeadlineOps['start'], meet: DeadlineOps['meet'] = []): DeadlineOps => ({ start, meet, cancel: [], pause: false, resume: false });

/** Starts or meets the return clock of an errand (its other clocks were cancelled by the withdrawal). */
export function planReturnClock(
  env: ErrandEnv,
  errand: { id: number; townshipCode: string; itemId: string },
  action: 'start' | 'meet',
  now: number,
): Deadline | null {
  const calendar = env.calendars.forTownship(errand.townshipCode);
  const plan = planDeadlines(
    openDeadlines(env.database, errand.id),
    action === 'start' ? ops(['materials_return']) : ops([], ['materials_return']),
    { now, calendar },
    deadlineDays(env.deadlines, env.catalog.get(errand.itemId)),
  );
  saveDeadlines(env.database, errand.id, plan);
  env.touched?.add(errand.id);
  env.calendars.noteUncertainYears(plan.started.flatMap((d) => (d.provisional && d.dueDate ? [Number(d.dueDate.slice(0, 4))] : [])));
  return plan.started[0] ?? null;
}

export interface WithdrawalMaterials {
  at: MaterialCustody;
  /** The materials in the resident's words ('' when none were taken in). */
  list: string;
  agentName: string;
  dueDate: string | null;
}

/** After the withdrawal move: records the return owed, starts its clock, and gives the notices for everyone but the resident. */
export function afterWithdrawal(env: ErrandEnv, moved: Moved, now: number): { materials: WithdrawalMaterials; outbox: NewOutboxMessage[] } {
  const { database, directory, templates } = env;
  const before = moved.before;
  const taken = ledgerMaterialsOf(database, before.id);
  const at = custodyOf({ status: before.status as ErrandStatus, suspendedFrom: before.suspendedFrom as ErrandStatus | null, inLedger: taken !== null });
  const parties = errandParties(database, directory, moved.after, env.catalog.get(before.itemId)?.name ?? before.itemId);
  const agentName = parties.agent?.name ?? '';
  if (at === 'none' || !taken) return { materials: { at: 'none', list: '', agentName, dueDate: null }, outbox: [] };

  insertMaterialReturn(database, { errandId: before.id, heldAt: at, agentId: moved.after.agentId, items: taken, at: now });
  const clock = planReturnClock(env, before, 'start', now);
  const vars = { heldAt: at, materials: materialList(templates, taken, 'staff'), dueBy: clock?.dueDate ?? '' };
  const notify = errandNotifier(database, directory, templates, parties, 'withdrawn');
  return {
    materials: { at, list: materialList(templates, taken, 'resident'), agentName, dueDate: clock?.dueDate ?? null },
    outbox: [
      ...notify.agents('notify.agent_withdrawn_return', vars),
      ...notify.agentRoom('notify.room_withdrawn_return', vars),
      ...(at === 'centre' ? notify.centreRoom('notify.room_withdrawn_at_centre', vars) : []),
    ],
  };
}
