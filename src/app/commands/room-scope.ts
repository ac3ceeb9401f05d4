import type { RoleGrant } from '../../domain/roles.ts';
import type { Directory, RoomEntry } from '../directory.ts';

/**
 * What a command given in a group may reach: the group's own village (an agents' group) or township
 * (a centre's group). Everyone in a group reads the answer, so a command there acts only within the
 * group's scope, whatever the speaker may do elsewhere; outside it the bot declines and asks for a
 * private message. Pure.
 */

export interface RoomScope {
  /** The villages the group covers (one for an agents' group, the township's villages for a centre's). */
  villages: readonly string[];
  townshipCode: string | null;
}

export function roomScope(directory: Directory, room: RoomEntry): RoomScope {
  if (room.kind === 'village_agents') {
    const village = room.villageCode ? directory.village(room.villageCode) : undefined;
    return { villages: room.villageCode ? [room.villageCode] : [], townshipCode: village?.townshipCode ?? null };
  }
  const villages = directory.villages.filter((v) => directory.village(v.code)?.townshipCode === room.townshipCode).map((v) => v.code);
  return { villages, townshipCode: room.townshipCode };
}

/** The speaker's grants that apply in the group: county-wide ones, and those whose village or township the group covers. */
export function grantsInRoom(grants: readonly RoleGrant[], scope: RoomScope): RoleGrant[] {
  return grants.filter((g) => {
    switch (g.role) {
      case 'supervisor':
      case 'admin':
        return true;
      case 'centre_staff':
        return g.townshipCode !== null && g.townshipCode === scope.townshipCode;
      case 'agent':
      case 'collector':
        return g.villageCode !== null && scope.villages.includes(g.villageCode);
      case 'resident':
        return false;
    }
  });
}

/** Whether an errand of this village belongs to the group. */
export const errandInRoom = (scope: RoomScope, errand: { villageCode: string }): boolean => scope.villages.includes(errand.villageCode);

/** The group's name as people know it: the village's, or the centre's. */
export function roomName(directory: Directory, room: RoomEntry): string {
  if (room.kind === 'village_agents') return directory.village(room.villageCode ?? '')?.name ?? '';
  return directory.township(room.townshipCode ?? '')?.centre.name ?? '';
}
