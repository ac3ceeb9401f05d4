import type { DirectoryCache, StaffMember } from '../../app/directory.ts';
import { errandById } from '../../db/errand-queries.ts';
import type { Database } from '../../db/open-database.ts';
import type { OutboundMessage } from '../../app/ports.ts';
import { WECOM_CHANNEL } from './app-message-channel.ts';
import { WECOM_ROBOT_CHANNEL } from './robot-channel.ts';

/**
 * Whom a robot's message in an agents' room @mentions: the agent who holds the message's errand, or
 * while nobody holds it, the village's agents (one of them should claim it) — each by their WeCom
 * UserID, the roster identity `{channel: 'wecom', id}`. Centre rooms and messages without an errand
 * (digests) mention nobody. Read from the outbox row's errand at sending time, so no notice has to
 * know about WeCom.
 */
export function createRobotMentions(database: Database, directories: DirectoryCache): (message: OutboundMessage) => string[] {
  return (message) => {
    if (message.room === null || message.errandId === undefined || message.errandId === null) return [];
    const directory = directories.current();
    if (directory.room(WECOM_ROBOT_CHANNEL, message.room)?.kind !== 'village_agents') return [];
    const errand = errandById(database, message.errandId);
    if (!errand) return [];
    const holder = errand.agentId ? directory.staffById(errand.agentId) : undefined;
    const people: StaffMember[] = holder ? [holder] : directory.staff('agent', { village: errand.villageCode });
    return [...new Set(people.flatMap((p) => p.identities.filter((i) => i.channel === WECOM_CHANNEL).map((i) => i.externalId)))];
  };
}
