import { shanghaiDate } from '../../calendar/local-date.ts';
import type { CatalogItem } from '../../catalog/catalog-schema.ts';
import { authoriseCommand } from '../../commands/command-authorisation.ts';
import { commandSpec } from '../../commands/command-catalog.ts';
import type { Command } from '../../commands/command-grammar.ts';
import { beneficiaryData } from '../../conversation/actions/beneficiary-actions.ts';
import { SURE_GAP, SURE_SCORE } from '../../conversation/actions/request-actions.ts';
import { buildRenderVars } from '../../conversation/render-vars.ts';
import { findErrandById } from '../../db/errand-repository.ts';
import { createResident, identitiesOf, personById, type PersonRow } from '../../db/people-repository.ts';
import { compactText } from '../../text/normalise.ts';
import { maskName } from '../../domain/masking.ts';
import { findVillages } from '../../conversation/actions/registration-actions.ts';
import { errandNotifier, errandParties } from '../errand-parties.ts';
import { fileErrand } from '../file-errand.ts';
import { buildFlowContext } from '../flow-context-builder.ts';
import { moveErrand } from '../move-errand.ts';
import { toStaff } from '../notifications.ts';
import { inviteResident } from '../resident-invitations.ts';
import { reply, type CommandEnv, type CommandResult, type CommandTurn } from './command-context.ts';
import { findResident } from './resident-lookup.ts';

/**
 * Filing on someone's behalf: 代办 (an agent, for a resident who came in person or phoned), 代收 (a
 * collector forwards to the village's agent) and 派单 (the centre sends work to a village). The
 * resident confirms the entrustment by chat where they can; otherwise a signed paper form is needed.
 */

type FilingCommand = Extract<Command, { name: 'file' | 'collect' | 'dispatch' }>;

/** The item from free words: a sure match, or the candidates to choose from. */
function findItem(env: CommandEnv, words: string): { item: CatalogItem } | { candidates: string[] } {
  const exact = env.catalog.items.find((i) => compactText(i.name) === compactText(words));
  if (exact) return { item: exact };
  const matches = env.matcher.match(words);
  const [top, second] = matches;
  const item = top ? env.catalog.get(top.id) : undefined;
  if (item && top && top.score >= SURE_SCORE && top.score - (second?.score ?? 0) >= SURE_GAP) return { item };
  return { candidates: matches.slice(0, 4).map((m) => m.name) };
}

export function runFilingCommand(env: CommandEnv, turn: CommandTurn, command: FilingCommand): CommandResult {
  const say = (key: string, vars: Record<string, unknown> = {}) => env.templates.render(`cmd.${key}`, vars);
  const auth = authoriseCommand({ personId: turn.actor.id, grants: turn.actor.grants }, command.name, null);
  if (!auth.ok)
    return reply(
      say('refused_role', {
        command: commandSpec(command.name).words[0],
        allowed: commandSpec(command.name)
          .roles.map((r) => env.templates.render(`role.${r}`, {}))
          .join('或'),
      }),
    );
  const verb = commandSpec(command.name).words[0] ?? '';
  // The form with a phone number, as the reply suggests it: 代办 李大爷 139xxxxxxxx 残疾证
  const form = command.name === 'dispatch' ? commandSpec(command.name).example : `${verb} ${command.resident} 13800000000 ${command.itemWords}`;

  let villageCode: string;
  if (command.name === 'dispatch') {
    const township = auth.grant.townshipCode;
    // In a group, only the group's villages.
    const inTownship = env.directory.villages.filter(
      (v) => env.directory.village(v.code)?.townshipCode === township && (!turn.scope || turn.scope.villages.includes(v.code)),
    );
    const found = findVillages(command.village, inTownship);
    const village = found.length === 1 ? found[0] : inTownship.find((v) => v.code === command.village);
    if (!village) return reply(say('no_such_village', { name: command.village, names: inTownship.map((v) => v.name).join('、') }));
    villageCode = village.code;
  } else {
    villageCode = auth.grant.villageCode ?? '';
  }
  const villageName = env.directory.village(villageCode)?.name ?? villageCode;

  const itemWords = command.itemWords;
  const found = findItem(env, itemWords);
  if ('candidates' in found) return reply(say('item_unclear', { words: itemWords, candidates: found.candidates.join('、') }));
  const item = found.item;

  const phone = command.name === 'dispatch' ? null : command.phone;
  const lookup = findResident(env.database, { villageCode, nameOrPhone: command.resident, phone });
  if (lookup.kind === 'several')
    return reply(say('several_residents', { villageName, name: command.resident, count: lookup.count, form: commandSpec(command.name).form }));
  let resident: PersonRow | undefined = lookup.kind === 'found' ? lookup.person : undefined;
  if (!resident) {
    if (!phone) return reply(say('no_such_resident', { villageName, name: command.resident, form }));
    // Someone who came in person or phoned: recorded with their phone so they can be reached.
    const id = env.newPersonId();
    createResident(env.database, { id, name: command.resident, phone, villageCode, tags: [], source: 'agent', now: turn.now });
    resident = personById(env.database, id);
  }
  if (!resident) return reply(say('no_such_resident', { villageName, name: command.resident, form }));

  const reachable = identitiesOf(env.database, resident.id).length > 0;
  // A 派单 carries no entrustment: the resident applied at the centre, nothing was signed for an agent.
  if (command.name === 'dispatch') return dispatch(env, turn, { resident, item, villageCode, villageName, note: command.note });
  const paper = command.name === 'file' && command.paperSigned;
  const entrustment = paper ? paperEntrustment(env, turn, resident, item) : null;

  const role = command.name === 'file' ? 'agent' : 'collector';
  const filed = fileErrand(env, {
    requester: { ...resident, villageCode },
    actor: { personId: turn.actor.id, role },
    itemId: item.id,
    beneficiary: { kind: 'self' },
    privacyConsent: null,
    entrustment,
    channel: identitiesOf(env.database, resident.id)[0]?.channel ?? turn.channel,
    notifyAgents: false,
    now: turn.now,
  });
  const outbox = [];
  if (command.name === 'file') {
    // The agent who files it holds it.
    moveErrand(env, {
      errandId: filed.errandId,
      event: 'claim',
      actor: { personId: turn.actor.id, role: 'agent' },
      patch: { agentId: turn.actor.id },
      now: turn.now,
    });
  } else {
    const errand = findErrandById(env.database, filed.errandId);
    if (errand) {
      const parties = errandParties(env.database, env.directory, errand, item.name);
      outbox.push(
        ...errandNotifier(env.database, env.directory, env.templates, parties, 'collected').agents('notify.agent_new_collected', {
          collectorName: turn.actor.name,
        }),
      );
    }
  }
  const pendingConfirm = !paper && reachable;
  if (pendingConfirm) {
    outbox.push(
      ...inviteResident(env, {
        residentId: resident.id,
        channel: identitiesOf(env.database, resident.id)[0]?.channel ?? turn.channel,
        flowId: 'confirm_entrustment',
        errandId: filed.errandId,
        laterText: env.templates.render('notify.confirm_later', { receiptNo: filed.receiptNo, itemName: item.name, agentName: turn.actor.name }),
        dedupeKey: `errand-${filed.errandId}-confirm-invite`,
        now: turn.now,
      }),
    );
  }
  // Everyone in a group reads the answer: the name masked there (a phone must not turn into a name).
  const vars = {
    receiptNo: filed.receiptNo,
    itemName: item.name,
    residentName: turn.room ? maskName(resident.name) : resident.name,
    villageName,
    pendingConfirm,
    paper,
  };
  return { replies: [say(command.name === 'file' ? 'filed' : 'collected', vars)], outbox };
}

/** What a signed paper form says: the same entrustment text, rendered for this resident and item. */
function paperEntrustment(env: CommandEnv, turn: CommandTurn, resident: PersonRow, item: CatalogItem) {
  const identity = {
    id: 0,
    channel: 'paper',
    externalId: resident.id,
    personId: resident.id,
    createdAt: turn.now,
    lastSeenAt: turn.now,
    lastMessageAt: null,
    lastEventAt: null,
    unionId: null,
    unionCheckedAt: null,
  };
  const ctx = buildFlowContext(
    { database: env.database, directory: env.directory, catalog: env.catalog, matcher: env.matcher, templates: env.templates },
    { now: turn.now, identity, person: resident },
  );
  const text = env.templates.render(
    'entrustment.text',
    buildRenderVars({ itemId: item.id, ...beneficiaryData({ kind: 'self' }) }, ctx, shanghaiDate(turn.now)),
  );
  return { text, version: env.templates.version('entrustment.text'), paper: true };
}

function dispatch(
  env: CommandEnv,
  turn: CommandTurn,
  input: {
    resident: PersonRow;
    item: CatalogItem;
    villageCode: string;
    villageName: string;
    note: string | null;
  },
): CommandResult {
  const say = (key: string, vars: Record<string, unknown> = {}) => env.templates.render(`cmd.${key}`, vars);
  if (!input.item.directions.includes('centre_to_village')) {
    return reply(say('not_dispatchable', { itemName: input.item.name }));
  }
  const errandId = createDispatched(env, turn, input);
  const errand = findErrandById(env.database, errandId);
  if (!errand) return reply('');
  const parties = errandParties(env.database, env.directory, errand, input.item.name);
  const notify = errandNotifier(env.database, env.directory, env.templates, parties, 'dispatched');
  const agents = env.directory.staff('agent', { village: input.villageCode });
  const details = env.templates.render('notify.agent_dispatched', { ...parties.vars, staffName: turn.actor.name, note: input.note });
  return {
    replies: [say('dispatched', { receiptNo: errand.receiptNo, villageName: input.villageName })],
    outbox: [
      ...notify.agentRoom('notify.room_dispatched'),
      ...toStaff(agents, details, errand.id, `errand-${errand.id}-dispatched-agents`),
      ...notify.resident('notify.resident_dispatched'),
    ],
  };
}

function createDispatched(
  env: CommandEnv,
  turn: CommandTurn,
  input: {
    resident: PersonRow;
    item: CatalogItem;
    villageCode: string;
    note: string | null;
  },
): number {
  return fileErrand(env, {
    requester: { ...input.resident, villageCode: input.villageCode },
    actor: { personId: turn.actor.id, role: 'centre_staff' },
    itemId: input.item.id,
    beneficiary: { kind: 'self' },
    privacyConsent: null,
    entrustment: null,
    channel: identitiesOf(env.database, input.resident.id)[0]?.channel ?? turn.channel,
    notifyAgents: false,
    direction: 'centre_to_village',
    note: input.note,
    now: turn.now,
  }).errandId;
}
