import type { AgentView, ErrandView, FlowContext, PersonView } from '../conversation/flow-context.ts';
import { deadlinesOf, errandsOfRequester, eventsOf, openErrandsOfRequester } from '../db/errand-queries.ts';
import { ledgerMaterialsOfMany, materialReturnOf } from '../db/material-return-repository.ts';
import { awaitingFixRating } from '../db/rating-repository.ts';
import type { IdentityRow, PersonRow } from '../db/people-repository.ts';
import { priorityTags as priorityTagList } from '../domain/roles.ts';
import type { Directory, StaffMember } from './directory.ts';
import { buildErrandView } from './errand-views.ts';
import type { AppContext } from './app-context.ts';

/** Prepares the snapshot the conversation engine reads for one message. */

export type ContextEnv = Pick<AppContext, 'database' | 'directory' | 'catalog' | 'matcher' | 'templates'>;

const MY_ERRANDS_LIMIT = 10;
/** The agent comes to these (the priority groups); migrant workers are exempt from self-service only. */
const priorityTags = new Set<string>(priorityTagList);

export function agentView(agent: StaffMember | undefined): AgentView | null {
  if (!agent) return null;
  const p = agent.publicProfile ?? {};
  return { name: agent.name, position: p.position ?? null, phone: p.phone ?? agent.phone, hours: p.hours ?? null, photoUrl: p.photoUrl ?? null };
}

export function personView(person: PersonRow, directory: Directory): PersonView {
  const village = person.villageCode ? directory.village(person.villageCode) : undefined;
  return {
    id: person.id,
    name: person.name,
    phone: person.phone,
    villageCode: person.villageCode,
    villageName: village?.name ?? null,
    tags: person.tags,
    priority: person.tags.some((t) => priorityTags.has(t)) || Boolean(village?.remote),
  };
}

export function buildFlowContext(env: ContextEnv, turn: { now: number; identity: IdentityRow; person: PersonRow | null }): FlowContext {
  const { directory, database, templates } = env;
  const person = turn.person;
  const village = person?.villageCode ? directory.village(person.villageCode) : undefined;
  const township = village ? directory.township(village.townshipCode) : undefined;
  const agents = village ? directory.staff('agent', { village: village.code }) : [];
  let errands: ErrandView[] | null = null;

  const loadErrands = (): ErrandView[] => {
    if (!person) return [];
    // The newest errands, and every open one however old (each can still be withdrawn or asked about).
    const newest = errandsOfRequester(database, person.id, MY_ERRANDS_LIMIT);
    const shown = new Set(newest.map((r) => r.errand.id));
    const rows = [...newest, ...openErrandsOfRequester(database, person.id).filter((r) => !shown.has(r.errand.id))].sort(
      (a, b) => b.errand.createdAt - a.errand.createdAt || b.errand.id - a.errand.id,
    );
    const ids = rows.map((r) => r.errand.id);
    const taken = ledgerMaterialsOfMany(database, ids);
    const events = eventsOf(database, ids);
    const deadlines = deadlinesOf(database, ids);
    const staffNames = new Map(directory.staff('agent', {}).map((a) => [a.id, a.name]));
    return rows.map((r) =>
      buildErrandView({
        errand: r.errand,
        itemName: r.itemName,
        events: events.filter((e) => e.errandId === r.errand.id),
        deadlines: deadlines.filter((d) => d.errandId === r.errand.id),
        agentName: r.errand.agentId ? (staffNames.get(r.errand.agentId) ?? null) : null,
        awaitingFixRating: r.errand.status === 'closed' && awaitingFixRating(database, r.errand.id),
        materials: { taken: taken.get(r.errand.id) ?? null, owed: r.errand.status === 'withdrawn' ? (materialReturnOf(database, r.errand.id) ?? null) : null },
        directory,
        templates,
        now: turn.now,
      }),
    );
  };

  return {
    now: turn.now,
    identity: { channel: turn.identity.channel, externalId: turn.identity.externalId },
    person: person ? personView(person, directory) : null,
    villages: directory.villages,
    catalog: env.catalog,
    matcher: env.matcher,
    agent: agentView(agents[0]),
    centre: township ? township.centre : null,
    county: directory.county,
    get myErrands() {
      errands ??= loadErrands();
      return errands;
    },
  };
}
