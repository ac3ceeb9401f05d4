import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkRosterReferences, rosterSchema } from '../../src/roster/roster-schema.ts';

describe('the roster format', () => {
  it('accepts the demo roster, which has a centre, three villages, agents, collectors, residents and rooms', () => {
    const roster = rosterSchema.parse(JSON.parse(readFileSync('data/demo-roster.json', 'utf8')));
    expect(checkRosterReferences(roster, { villageCodes: new Set(), townshipCodes: new Set() })).toEqual([]);
    expect(roster.townships[0]?.villages).toHaveLength(3);
    const roles = new Set(roster.people.flatMap((p) => p.roles.map((r) => r.role)));
    for (const role of ['agent', 'collector', 'centre_staff', 'supervisor', 'resident']) expect(roles.has(role as never), role).toBe(true);
    expect(roster.rooms.filter((r) => r.kind === 'village_agents')).toHaveLength(3);
  });

  it('refuses unknown tags and roles and bad photo addresses', () => {
    const r = rosterSchema.safeParse({
      county: { name: 'x', hotline: 'y' },
      townships: [{ code: 'qs', name: 'x', centre: { name: 'a', phone: 'b', address: 'c', hours: 'd' } }],
      people: [{ id: 'a', name: 'b', tags: ['rich'], roles: [{ role: 'king' }], public: { photoUrl: 'javascript:alert(1)' } }],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['people.0.tags.0', 'people.0.roles.0.role', 'people.0.public.photoUrl']),
    );
  });

  it('finds duplicates and dangling references', () => {
    const roster = rosterSchema.parse({
      county: { name: 'x', hotline: 'y' },
      townships: [
        {
          code: 'qs',
          name: 'x',
          centre: { name: 'a', phone: 'b', address: 'c', hours: 'd' },
          villages: [
            { code: 'v1', name: 'v' },
            { code: 'v1', name: 'w' },
          ],
        },
      ],
      people: [
        { id: 'a', name: 'b', identities: [{ channel: 's', id: 'x' }] },
        { id: 'a', name: 'c', identities: [{ channel: 's', id: 'x' }], roles: [{ role: 'agent', village: 'v1', township: 'qs' }] },
      ],
      rooms: [{ channel: 's', id: 'r', kind: 'village_agents', village: 'v9' }],
    });
    expect(checkRosterReferences(roster, { villageCodes: new Set(), townshipCodes: new Set() })).toEqual([
      'townships: village code v1 appears twice',
      'people[1] (a): id appears twice',
      'people[1] (a): role agent has both a village and a township',
      'people[1] (a): identity s/x is given to two people',
      'rooms[0] (r): a village_agents room needs a known village',
    ]);
  });
});
