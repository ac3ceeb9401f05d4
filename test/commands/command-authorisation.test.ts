import { describe, expect, it } from 'vitest';
import { authoriseCommand, type CommandActor, type ErrandScope } from '../../src/commands/command-authorisation.ts';
import { commandNames, commandSpecs, type CommandName } from '../../src/commands/command-catalog.ts';

/**
 * The authorisation matrix: role × command × scope. Written out here by hand from domain.md §1–2,
 * then checked against every command.
 */

const errand = (agentId: string | null): ErrandScope => ({ villageCode: 'v1', townshipCode: 't1', agentId });

const people: Record<string, CommandActor> = {
  holder: { personId: 'a1', grants: [{ role: 'agent', villageCode: 'v1', townshipCode: null }] },
  otherAgentSameVillage: { personId: 'a2', grants: [{ role: 'agent', villageCode: 'v1', townshipCode: null }] },
  agentOtherVillage: { personId: 'a3', grants: [{ role: 'agent', villageCode: 'v2', townshipCode: null }] },
  collector: { personId: 'c1', grants: [{ role: 'collector', villageCode: 'v1', townshipCode: null }] },
  centre: { personId: 's1', grants: [{ role: 'centre_staff', villageCode: null, townshipCode: 't1' }] },
  centreOtherTownship: { personId: 's2', grants: [{ role: 'centre_staff', villageCode: null, townshipCode: 't2' }] },
  supervisor: { personId: 'p1', grants: [{ role: 'supervisor', villageCode: null, townshipCode: null }] },
  resident: { personId: 'r1', grants: [{ role: 'resident', villageCode: 'v1', townshipCode: null }] },
};

const agentOnErrand: CommandName[] = [
  'claim',
  'accept',
  'return',
  'refuse',
  'submit',
  'feed_back',
  'suspend',
  'resume',
  'reassign',
  'pick_up',
  'finish_handling',
  'hand_back',
  'give_back',
];
/** 退还 is both: the centre's staff record it while the materials are still at the centre (checked by its handler). */
const centreOnErrand: CommandName[] = ['start', 'complete', 'centre_return', 'confirm_hand_back', 'suspend', 'resume', 'give_back'];
/** Any agent of the village may give these even while another agent holds the errand. */
const openWhenHeld: CommandName[] = ['claim', 'give_back'];
/** Any agent of the village may give these on an errand nobody holds (or to claim one). */
const openToVillage: CommandName[] = ['claim', 'accept', 'refuse', 'pick_up'];

type Want = 'ok' | 'role' | 'other_village' | 'other_township' | 'not_assigned';

function expected(who: string, name: CommandName, held: boolean): Want {
  const isAgentCommand = agentOnErrand.includes(name);
  const isCentreCommand = centreOnErrand.includes(name);
  switch (who) {
    case 'holder':
      return isAgentCommand ? 'ok' : 'role';
    case 'otherAgentSameVillage':
      if (!isAgentCommand) return 'role';
      if (!held) return 'ok';
      return openWhenHeld.includes(name) ? 'ok' : 'not_assigned';
    case 'agentOtherVillage':
      return isAgentCommand ? 'other_village' : 'role';
    case 'collector':
      return 'role';
    case 'centre':
      return isCentreCommand ? 'ok' : 'role';
    case 'centreOtherTownship':
      return isCentreCommand ? 'other_township' : 'role';
    case 'supervisor':
      return name === 'reassign' || name === 'rectify' ? 'ok' : 'role';
    default:
      return 'role';
  }
}

describe('who may give which command on which errand', () => {
  const onErrand = commandNames.filter((n) => [...agentOnErrand, ...centreOnErrand, 'rectify'].includes(n));
  for (const held of [false, true]) {
    for (const [who, actor] of Object.entries(people)) {
      it(`${who} on an errand ${held ? 'held by agent a1' : 'nobody holds yet'}`, () => {
        for (const name of onErrand) {
          const result = authoriseCommand(actor, name, errand(held ? 'a1' : null));
          const got = result.ok ? 'ok' : result.refusal.kind;
          expect(got, `${who} ${name}`).toBe(expected(who, name, held));
        }
      });
    }
  }

  it('lets any agent of the village take over only by claiming, and names who holds it otherwise', () => {
    const r = authoriseCommand(people.otherAgentSameVillage as CommandActor, 'submit', errand('a1'));
    expect(r).toEqual({ ok: false, refusal: { kind: 'not_assigned', agentId: 'a1' } });
    for (const name of openToVillage) expect(authoriseCommand(people.otherAgentSameVillage as CommandActor, name, errand(null)).ok, name).toBe(true);
  });

  it('lets any agent of the village record 退还 on an errand another agent held, but not an agent of another village', () => {
    expect(authoriseCommand(people.otherAgentSameVillage as CommandActor, 'give_back', errand('a1')).ok).toBe(true);
    expect(authoriseCommand(people.agentOtherVillage as CommandActor, 'give_back', errand('a1'))).toEqual({
      ok: false,
      refusal: { kind: 'other_village', villageCode: 'v1' },
    });
    expect(authoriseCommand(people.collector as CommandActor, 'give_back', errand('a1'))).toEqual({
      ok: false,
      refusal: { kind: 'role', allowed: ['agent', 'centre_staff'] },
    });
  });

  it('names the roles that may use a command the speaker may not', () => {
    const r = authoriseCommand(people.resident as CommandActor, 'start', null);
    expect(r).toEqual({ ok: false, refusal: { kind: 'role', allowed: ['centre_staff'] } });
  });

  it('gives every command to at least one role, and lists and filing commands to the right ones', () => {
    for (const spec of commandSpecs) expect(spec.roles.length, spec.name).toBeGreaterThan(0);
    expect(authoriseCommand(people.collector as CommandActor, 'collect', null).ok).toBe(true);
    expect(authoriseCommand(people.collector as CommandActor, 'file', null).ok).toBe(false);
    expect(authoriseCommand(people.centre as CommandActor, 'dispatch', null).ok).toBe(true);
    expect(authoriseCommand(people.supervisor as CommandActor, 'stats', null).ok).toBe(true);
    expect(authoriseCommand(people.holder as CommandActor, 'stats', null).ok).toBe(false);
  });
});
