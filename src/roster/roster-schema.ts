import { z } from 'zod';
import { personRoles, personTags } from '../domain/roles.ts';

/**
 * The deployment roster (PUT /api/admin/roster, `npm run roster:load`): the county, its townships
 * with their centres and villages, the people with their roles and channel identities, and the rooms.
 * Upserted by code and id; extra keys are accepted and ignored. See data/demo-roster.json.
 */

const code = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, - and _ (at most 40)');
const text = (max: number) => z.string().trim().min(1).max(max);

export const rosterSchema = z.object({
  county: z.object({ name: text(40), hotline: text(40) }),
  townships: z
    .array(
      z.object({
        code,
        name: text(40),
        centre: z.object({ name: text(60), phone: text(40), address: text(120), hours: text(80) }),
        villages: z
          .array(
            z.object({
              code,
              name: text(40),
              population: z.number().int().min(0).max(1_000_000).optional(),
              distanceKm: z.number().min(0).max(1000).optional(),
              remote: z.boolean().default(false),
            }),
          )
          .default([]),
      }),
    )
    .min(1),
  people: z
    .array(
      z.object({
        id: code,
        name: text(40),
        phone: z.string().trim().max(40).optional(),
        village: code.optional(),
        tags: z.array(z.enum(personTags)).default([]),
        roles: z.array(z.object({ role: z.enum(personRoles), village: code.optional(), township: code.optional() })).default([]),
        public: z
          .object({
            position: text(40).optional(),
            phone: text(40).optional(),
            photoUrl: z.url({ protocol: /^https?$/ }).optional(),
            hours: text(80).optional(),
          })
          .optional(),
        identities: z.array(z.object({ channel: text(40), id: text(200) })).default([]),
      }),
    )
    .default([]),
  rooms: z
    .array(
      z.object({
        channel: text(40),
        id: text(200),
        kind: z.enum(['village_agents', 'centre']),
        village: code.optional(),
        township: code.optional(),
      }),
    )
    .default([]),
});

export type Roster = z.output<typeof rosterSchema>;

/**
 * Checks the references inside a roster (and against codes already stored). Returns every problem.
 */
export function checkRosterReferences(roster: Roster, stored: { villageCodes: ReadonlySet<string>; townshipCodes: ReadonlySet<string> }): string[] {
  const problems: string[] = [];
  const townships = new Set([...stored.townshipCodes, ...roster.townships.map((t) => t.code)]);
  const villages = new Set(stored.villageCodes);
  const seenVillages = new Set<string>();
  for (const t of roster.townships) {
    for (const v of t.villages) {
      if (seenVillages.has(v.code)) problems.push(`townships: village code ${v.code} appears twice`);
      seenVillages.add(v.code);
      villages.add(v.code);
    }
  }
  const seenPeople = new Set<string>();
  const seenIdentities = new Set<string>();
  roster.people.forEach((p, i) => {
    const where = `people[${i}] (${p.id})`;
    if (seenPeople.has(p.id)) problems.push(`${where}: id appears twice`);
    seenPeople.add(p.id);
    if (p.village && !villages.has(p.village)) problems.push(`${where}: unknown village ${p.village}`);
    for (const r of p.roles) {
      if (r.village && !villages.has(r.village)) problems.push(`${where}: role ${r.role} names unknown village ${r.village}`);
      if (r.township && !townships.has(r.township)) problems.push(`${where}: role ${r.role} names unknown township ${r.township}`);
      if ((r.role === 'agent' || r.role === 'collector') && !r.village) problems.push(`${where}: role ${r.role} needs a village`);
      if (r.role === 'centre_staff' && !r.township) problems.push(`${where}: role centre_staff needs a township`);
      if (r.village && r.township) problems.push(`${where}: role ${r.role} has both a village and a township`);
    }
    for (const id of p.identities) {
      const key = `${id.channel}\u0000${id.id}`;
      if (seenIdentities.has(key)) problems.push(`${where}: identity ${id.channel}/${id.id} is given to two people`);
      seenIdentities.add(key);
    }
  });
  const seenRooms = new Set<string>();
  roster.rooms.forEach((r, i) => {
    const where = `rooms[${i}] (${r.id})`;
    const key = `${r.channel}\u0000${r.id}`;
    if (seenRooms.has(key)) problems.push(`${where}: room appears twice`);
    seenRooms.add(key);
    if (r.kind === 'village_agents' && (!r.village || !villages.has(r.village))) problems.push(`${where}: a village_agents room needs a known village`);
    if (r.kind === 'centre' && (!r.township || !townships.has(r.township))) problems.push(`${where}: a centre room needs a known township`);
  });
  return problems;
}
