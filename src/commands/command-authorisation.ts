import type { PersonRole, RoleGrant } from '../domain/roles.ts';
import { commandSpec, type CommandName } from './command-catalog.ts';

/**
 * Who may give which command on which errand (domain.md §1–2): the role the command needs, then
 * the scope: an agent acts in their own village and, once an errand is claimed, only its assigned
 * agent moves it; centre staff act in their own township; collectors in their own village;
 * supervisors county-wide. Pure: the lifecycle table then decides whether the move fits the state.
 */

export interface CommandActor {
  personId: string;
  grants: readonly RoleGrant[];
}

export interface ErrandScope {
  villageCode: string;
  townshipCode: string;
  agentId: string | null;
}

export type AuthRefusal =
  /** The command needs another role; `allowed` names who can give it. */
  | { kind: 'role'; allowed: readonly PersonRole[] }
  /** The errand belongs to another village (its agents can act). */
  | { kind: 'other_village'; villageCode: string }
  /** The errand belongs to another township's centre. */
  | { kind: 'other_township'; townshipCode: string }
  /** Another agent of the village holds the errand. */
  | { kind: 'not_assigned'; agentId: string };

export type AuthResult = { ok: true; role: PersonRole; grant: RoleGrant } | { ok: false; refusal: AuthRefusal };

/** Commands any agent of the village may give on an errand nobody holds yet, or that claim it. */
const OPEN_TO_VILLAGE_AGENTS: readonly CommandName[] = ['claim', 'accept', 'refuse', 'pick_up'];
/**
 * Commands any agent of the village may give even while another agent holds the errand: 接单 (to be
 * told who has it) and 退还 (whichever agent of the village hands a withdrawn errand's materials back).
 */
const OPEN_WHEN_HELD: readonly CommandName[] = ['claim', 'give_back'];

export function authoriseCommand(actor: CommandActor, name: CommandName, errand: ErrandScope | null): AuthResult {
  const spec = commandSpec(name);
  const grants = actor.grants.filter((g) => spec.roles.includes(g.role));
  if (!grants.length) return { ok: false, refusal: { kind: 'role', allowed: spec.roles } };
  if (!errand) return { ok: true, role: (grants[0] as RoleGrant).role, grant: grants[0] as RoleGrant };

  let refusal: AuthRefusal | null = null;
  const prefer = (r: AuthRefusal) => {
    // The most telling refusal wins: "someone else holds it" over "not your village".
    if (!refusal || r.kind === 'not_assigned') refusal = r;
  };
  for (const grant of grants) {
    switch (grant.role) {
      case 'supervisor':
      case 'admin':
        return { ok: true, role: grant.role, grant };
      case 'centre_staff':
        if (grant.townshipCode === errand.townshipCode) return { ok: true, role: grant.role, grant };
        prefer({ kind: 'other_township', townshipCode: errand.townshipCode });
        break;
      case 'collector':
        if (grant.villageCode === errand.villageCode) return { ok: true, role: grant.role, grant };
        prefer({ kind: 'other_village', villageCode: errand.villageCode });
        break;
      case 'agent': {
        if (grant.villageCode !== errand.villageCode) {
          prefer({ kind: 'other_village', villageCode: errand.villageCode });
          break;
        }
        const held = errand.agentId !== null && errand.agentId !== actor.personId;
        if (held && !OPEN_WHEN_HELD.includes(name)) {
          prefer({ kind: 'not_assigned', agentId: errand.agentId as string });
          break;
        }
        if (!held || OPEN_TO_VILLAGE_AGENTS.includes(name) || OPEN_WHEN_HELD.includes(name)) return { ok: true, role: grant.role, grant };
        break;
      }
      case 'resident':
        break;
    }
  }
  return { ok: false, refusal: refusal ?? { kind: 'role', allowed: spec.roles } };
}
