import { authoriseCommand, type AuthRefusal } from '../../commands/command-authorisation.ts';
import { commandSpec, type CommandName } from '../../commands/command-catalog.ts';
import { findErrandByReceipt, type ErrandRow } from '../../db/errand-repository.ts';
import { isTerminal, transition, type ErrandEvent, type ErrandStatus } from '../../domain/errand-lifecycle.ts';
import { errandNotifier, errandParties } from '../errand-parties.ts';
import { moveErrand } from '../move-errand.ts';
import { reply, type CommandEnv, type CommandResult, type CommandTurn } from './command-context.ts';
import { errandInRoom, roomName } from './room-scope.ts';
import { roomVars } from '../room-privacy.ts';
import type { Ctx, ErrandCommand, Handler } from './errand-command-context.ts';
import { accept, claim, refuse, returnMaterials, submit } from './intake-handlers.ts';
import { complete, feedBack, reassign, rectify, resume, start, suspend } from './centre-handlers.ts';
import { confirmHandBack, finishHandling, handBack, pickUp } from './handback-handlers.ts';
import { giveBack } from './give-back-handler.ts';

export type { ErrandCommand };

/**
 * Commands on one errand (接单, 收件, 退件, 递交, 受理, 办结, 反馈, 暂缓, 续办, 转交, 取件, 已办, 交回, 收到,
 * 整改, 退还…): find it, check who may (authorisation) and whether it fits its state (the lifecycle
 * table), move it, and tell everyone it concerns. A refusal names the problem and who can act.
 */

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
  give_back: giveBack,
};
