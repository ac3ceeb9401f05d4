import { readFileSync } from 'node:fs';
import { auth, type TestApp } from './test-app.ts';

/**
 * Gives roster people identities on another channel the way a county does for channels without a
 * binding step: by loading the roster again with those identities added (PUT /api/admin/roster).
 * `ids` maps a person's simulator name (as the tests call people) to their id on `channel`.
 */
export async function addRosterIdentities(app: TestApp, channel: string, ids: ReadonlyMap<string, string>): Promise<void> {
  const roster = JSON.parse(readFileSync('data/demo-roster.json', 'utf8')) as { people: { id: string; identities?: { channel: string; id: string }[] }[] };
  for (const person of roster.people) {
    // Tests name people by their simulator identity ("liu-fang", "agent-sun").
    const name = person.identities?.find((i) => i.channel === 'simulator')?.id ?? person.id;
    const id = ids.get(name);
    if (id) person.identities = [...(person.identities ?? []), { channel, id }];
  }
  const r = await app.daiban.server.inject({ method: 'PUT', url: '/api/admin/roster', headers: auth, payload: roster });
  if (r.statusCode !== 200) throw new Error(`roster ${r.statusCode}: ${r.body}`);
}
