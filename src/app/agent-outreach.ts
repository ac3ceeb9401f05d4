import type { HandOver } from './ports.ts';
import type { TemplateSet } from '../conversation/templates.ts';
import { errandFacts } from '../db/notification-facts-query.ts';
import type { Database } from '../db/open-database.ts';
import { personById } from '../db/people-repository.ts';
import { statement } from '../db/statement-cache.ts';
import { maskName } from '../domain/masking.ts';
import type { Directory } from './directory.ts';
import { toRooms, toStaff } from './notifications.ts';

/**
 * The last resort for a notification WeChat will not carry to a resident: a task for their village
 * agent(s) to phone or visit them. Privately to each agent reachable on another channel (with the
 * resident's phone), else to the village's agents room (phone only as its last four digits: a room
 * never shows a full number, domain.md §8). The resident's name is masked either way.
 */

export type Outreach = { kind: 'tasks'; handOver: HandOver[] } | { kind: 'none'; reason: string };

export interface OutreachRequest {
  /** The channel the resident could not be reached on, and their identity there. */
  channel: string;
  externalId: string;
  text: string;
  errandId: number | null;
  /** The undeliverable message's key; the tasks' keys derive from it (written once). */
  dedupeKey: string;
}

export function createAgentOutreach(deps: { database: Database; directory: () => Directory; templates: TemplateSet }) {
  const { database, templates } = deps;
  return (request: OutreachRequest): Outreach => {
    const identity = statement<[string, string], { personId: string | null }>(
      database,
      'SELECT person_id AS personId FROM channel_identities WHERE channel = ? AND external_id = ?',
    ).get(request.channel, request.externalId);
    const facts = request.errandId === null ? undefined : errandFacts(database, request.errandId);
    const personId = identity?.personId ?? facts?.requesterId ?? null;
    const person = personId ? personById(database, personId) : undefined;
    if (!person) return { kind: 'none', reason: 'the follower is not registered, so no village agent knows them' };
    const villageCode = person.villageCode ?? facts?.villageCode ?? null;
    if (!villageCode) return { kind: 'none', reason: 'the resident has no village' };
    const directory = deps.directory();
    const vars = { resident_name: maskName(person.name), village: directory.village(villageCode)?.name ?? villageCode, text: request.text };
    const key = `${request.dedupeKey}-agent-task`;
    const agents = directory
      .staff('agent', { village: villageCode })
      .map((a) => ({ ...a, identities: a.identities.filter((i) => i.channel !== request.channel) }))
      .filter((a) => a.identities.length > 0);
    if (agents.length > 0) {
      const text = templates.render('outreach.agent_private', { ...vars, phone: person.phone ?? '' });
      return { kind: 'tasks', handOver: toStaff(agents, text, request.errandId, key).map(handOver) };
    }
    const rooms = directory.agentRooms(villageCode).filter((r) => r.channel !== request.channel);
    if (rooms.length > 0) {
      const text = templates.render('outreach.agent_room', { ...vars, phone: person.phone ? person.phone.replace(/\D/g, '').slice(-4) : '' });
      return { kind: 'tasks', handOver: toRooms(rooms, text, request.errandId, key).map(handOver) };
    }
    return { kind: 'none', reason: `village ${villageCode} has no agent or agents room on another channel` };
  };
}

const handOver = (m: {
  channel: string;
  recipient: string | null;
  room: string | null;
  text: string;
  errandId?: number | null;
  dedupeKey?: string | null;
}): HandOver => ({
  channel: m.channel,
  recipient: m.recipient,
  room: m.room,
  text: m.text,
  errandId: m.errandId ?? null,
  dedupeKey: m.dedupeKey ?? '',
});
