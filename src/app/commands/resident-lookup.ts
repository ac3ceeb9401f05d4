import type { Database } from '../../db/open-database.ts';
import { personById, TRUSTED_PHONE, type PersonRow } from '../../db/people-repository.ts';
import { statement } from '../../db/statement-cache.ts';

/**
 * Finding the resident an agent, collector or centre names: by phone, or by name within the village.
 * A person whose phone is only their own claim never shadows one the county vouches for: by phone the
 * vouched-for person comes first, and a name shared with a claimer alone is not ambiguous.
 */

export type ResidentLookup = { kind: 'found'; person: PersonRow } | { kind: 'several'; count: number } | { kind: 'none' };

const PHONE_RE = /^1[3-9]\d{9}$/;

export function findResident(database: Database, q: { villageCode: string; nameOrPhone: string; phone: string | null }): ResidentLookup {
  const phone = q.phone ?? (PHONE_RE.test(q.nameOrPhone) ? q.nameOrPhone : null);
  if (phone) {
    const ids = statement<[string, string], { id: string }>(
      database,
      `SELECT id FROM people WHERE phone = ? AND village_code = ? ORDER BY ${TRUSTED_PHONE} DESC, created_at`,
    ).all(phone, q.villageCode);
    const person = ids[0] ? personById(database, ids[0].id) : undefined;
    if (person) return { kind: 'found', person };
    if (PHONE_RE.test(q.nameOrPhone)) return { kind: 'none' };
  }
  const named = statement<[string, string], { id: string; trusted: number }>(
    database,
    `SELECT id, ${TRUSTED_PHONE} AS trusted FROM people WHERE name = ? AND village_code = ? ORDER BY created_at`,
  ).all(q.nameOrPhone, q.villageCode);
  const vouched = named.filter((p) => p.trusted === 1);
  const ids = vouched.length === 1 ? vouched : named;
  if (ids.length > 1) return { kind: 'several', count: ids.length };
  const person = ids[0] ? personById(database, ids[0].id) : undefined;
  return person ? { kind: 'found', person } : { kind: 'none' };
}
