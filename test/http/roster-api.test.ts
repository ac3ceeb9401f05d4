import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ roster: false, worker: false });
});
afterAll(async () => {
  await app.close();
});

const put = (payload: unknown) => app.daiban.server.inject({ method: 'PUT', url: '/api/admin/roster', headers: auth, payload: payload as object });
const count = (table: string) => (app.daiban.database.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** The minimum shape tools outside the repo send (from the issue), accepted as is. */
const minimal = {
  county: { name: '示范县', hotline: '0838-1234567' },
  townships: [
    {
      code: 'qs',
      name: '青山镇',
      centre: { name: '青山镇便民服务中心', phone: '0838-6200000', address: '人民路1号', hours: '周一至周五 8:30-17:30' },
      villages: [{ code: 'qs-sq', name: '石桥村', population: 2300, distanceKm: 12.5, remote: false }],
    },
  ],
  people: [
    {
      id: 'li',
      name: '李明',
      phone: '13800000001',
      village: 'qs-sq',
      tags: [],
      roles: [{ role: 'agent', village: 'qs-sq' }],
      public: { position: '村委会副主任', photoUrl: 'https://example.org/li.jpg', hours: '8:00-20:00' },
      identities: [{ channel: 'simulator', id: 'agent-li' }],
    },
  ],
  rooms: [
    { channel: 'simulator', id: 'sq-agents@chatroom', kind: 'village_agents', village: 'qs-sq' },
    { channel: 'simulator', id: 'qs-centre@chatroom', kind: 'centre', township: 'qs' },
  ],
};

describe('PUT /api/admin/roster', () => {
  it('accepts the minimum shape tools send, with extra keys', async () => {
    const r = await put({ ...minimal, generatedBy: 'a tool', people: minimal.people.map((p) => ({ ...p, note: 'extra' })) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ ok: true, counts: { townships: 1, villages: 1, people: 1, identities: 1, rooms: 2 } });
  });

  it('is idempotent: loading the same roster twice changes nothing', async () => {
    const demo = JSON.parse(readFileSync('data/demo-roster.json', 'utf8')) as object;
    await put(demo);
    const before = ['townships', 'villages', 'people', 'person_roles', 'channel_identities', 'rooms'].map(count);
    const again = await put(demo);
    expect(again.statusCode).toBe(200);
    expect(['townships', 'villages', 'people', 'person_roles', 'channel_identities', 'rooms'].map(count)).toEqual(before);
  });

  it('updates by code and id: a renamed village and a new role take effect', async () => {
    const changed = structuredClone(minimal);
    (changed.townships[0]?.villages[0] as { name: string }).name = '石桥村（新）';
    (changed.people[0] as { roles: { role: string; village?: string }[] }).roles = [{ role: 'collector', village: 'qs-sq' }];
    expect((await put(changed)).statusCode).toBe(200);
    const village = app.daiban.database.sqlite.prepare("SELECT name FROM villages WHERE code = 'qs-sq'").get() as { name: string };
    expect(village.name).toBe('石桥村（新）');
    const roles = app.daiban.database.sqlite.prepare("SELECT role FROM person_roles WHERE person_id = 'li'").all();
    expect(roles).toEqual([{ role: 'collector' }]);
  });

  it('lists every problem of a bad roster at once, with 422, and writes nothing', async () => {
    const people = count('people');
    const r = await put({
      county: { name: '示范县' },
      townships: [{ code: 'qs', name: '青山镇', centre: { name: 'x', phone: 'x', address: 'x', hours: 'x' }, villages: [] }],
      people: [
        { id: 'x1', name: '某人', roles: [{ role: 'agent' }], village: 'nowhere' },
        { id: 'x2', name: '某人', roles: [{ role: 'centre_staff' }] },
      ],
      rooms: [{ channel: 'simulator', id: 'r@chatroom', kind: 'centre' }],
    });
    expect(r.statusCode).toBe(422);
    expect(r.json<{ details: { problems: string[] } }>().details.problems).toEqual(['county.hotline: Invalid input: expected string, received undefined']);
    const refs = await put({
      ...minimal,
      people: [
        { id: 'x1', name: '某人', roles: [{ role: 'agent' }], village: 'nowhere' },
        { id: 'x2', name: '某人', roles: [{ role: 'centre_staff' }] },
      ],
      rooms: [{ channel: 'simulator', id: 'r@chatroom', kind: 'centre' }],
    });
    expect(refs.statusCode).toBe(422);
    const problems = refs.json<{ details: { problems: string[] } }>().details.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'people[0] (x1): unknown village nowhere',
        'people[0] (x1): role agent needs a village',
        'people[1] (x2): role centre_staff needs a township',
        'rooms[0] (r@chatroom): a centre room needs a known township',
      ]),
    );
    expect(count('people')).toBe(people);
  });

  it('needs the admin token and JSON', async () => {
    expect((await app.daiban.server.inject({ method: 'PUT', url: '/api/admin/roster', payload: minimal })).statusCode).toBe(401);
    expect(
      (await app.daiban.server.inject({ method: 'PUT', url: '/api/admin/roster', headers: { ...auth, 'content-type': 'application/json' }, payload: '[' }))
        .statusCode,
    ).toBe(400);
  });
});
