import type { NewOutboxMessage } from '../db/outbox-repository.ts';
import type { RoomEntry, StaffMember } from './directory.ts';

/**
 * Addressing notifications: to rooms, or privately to staff on one channel identity — the first one
 * on a real channel (a member bound on WeChat or WeCom hears there, not in the simulator), else the first.
 */

export function toRooms(rooms: readonly RoomEntry[], text: string, errandId: number | null, key: string): NewOutboxMessage[] {
  return rooms.map((room) => ({
    channel: room.channel,
    recipient: null,
    room: room.externalId,
    text,
    kind: 'notification' as const,
    errandId,
    dedupeKey: `${key}-room-${room.channel}-${room.externalId}`,
  }));
}

export function toStaff(staff: readonly StaffMember[], text: string, errandId: number | null, key: string): NewOutboxMessage[] {
  return staff.flatMap((person) => {
    const identity = person.identities.find((i) => i.channel !== 'simulator') ?? person.identities[0];
    if (!identity) return [];
    return [
      {
        channel: identity.channel,
        recipient: identity.externalId,
        room: null,
        text,
        kind: 'notification' as const,
        errandId,
        dedupeKey: `${key}-person-${person.id}`,
      },
    ];
  });
}
