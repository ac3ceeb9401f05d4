import type { Database } from '../../db/open-database.ts';
import { links, updateLink, type LinkKind, type WechatyLinkRow } from '../../db/wechaty-repository.ts';
import type { SeenContact, SeenRoom } from './contact-links.ts';

/**
 * After each login, every stored link is pointed at the id its contact or room has in the new
 * session: the same id if it still exists (protocols with stable ids), otherwise the one contact
 * with the stored name (several with that name: the one with the stored alias), or the one room with
 * the stored topic. A link found nowhere, or ambiguously, loses its id until the next login (and is
 * logged): that person or group has to bind again with a new code.
 */

export interface ResolutionOutcome {
  kept: number;
  moved: number;
  lost: { key: string; name: string; why: 'not_found' | 'ambiguous' }[];
}

interface Candidate {
  id: string;
  name: string;
  alias?: (() => Promise<string | undefined>) | undefined;
}

async function resolveKind(database: Database, kind: LinkKind, current: readonly Candidate[], now: number, outcome: ResolutionOutcome): Promise<void> {
  const ids = new Set(current.map((c) => c.id));
  const byName = new Map<string, Candidate[]>();
  for (const c of current) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  const stored = links(database, kind);
  const taken = new Set(stored.flatMap((l) => (l.wechatyId !== null && ids.has(l.wechatyId) ? [l.wechatyId] : [])));
  const plan: { link: WechatyLinkRow; id: string | null; why?: 'not_found' | 'ambiguous' }[] = [];
  for (const link of stored) {
    if (link.wechatyId !== null && ids.has(link.wechatyId)) {
      outcome.kept++;
      continue;
    }
    let candidates = (byName.get(link.name) ?? []).filter((c) => !taken.has(c.id));
    if (candidates.length > 1 && link.alias) {
      const withAlias: Candidate[] = [];
      for (const c of candidates) if ((await c.alias?.().catch(() => undefined)) === link.alias) withAlias.push(c);
      candidates = withAlias;
    }
    const [only] = candidates;
    if (candidates.length === 1 && only) {
      taken.add(only.id);
      plan.push({ link, id: only.id });
    } else {
      plan.push({ link, id: null, why: candidates.length ? 'ambiguous' : 'not_found' });
    }
  }
  database.write(() => {
    for (const step of plan) {
      if (step.id === null && step.link.wechatyId === null) continue;
      updateLink(database, step.link.key, { wechatyId: step.id, now });
    }
  });
  for (const step of plan) {
    if (step.id !== null) outcome.moved++;
    else outcome.lost.push({ key: step.link.key, name: step.link.name, why: step.why ?? 'not_found' });
  }
}

/** Re-resolves every contact and room link against the new session's contacts and rooms. */
export async function reResolveLinks(
  database: Database,
  current: { contacts: readonly SeenContact[]; rooms: readonly SeenRoom[] },
  now: number,
): Promise<ResolutionOutcome> {
  const outcome: ResolutionOutcome = { kept: 0, moved: 0, lost: [] };
  await resolveKind(database, 'contact', current.contacts, now, outcome);
  await resolveKind(
    database,
    'room',
    current.rooms.map((r) => ({ id: r.id, name: r.topic })),
    now,
    outcome,
  );
  return outcome;
}
