import { readFileSync } from 'node:fs';
import { loadRoster } from '../../src/app/load-roster.ts';
import { readCatalogFile } from '../../src/catalog/catalog-file.ts';
import { endOfShanghaiDay } from '../../src/calendar/local-date.ts';
import { seedCatalogIfEmpty } from '../../src/db/catalog-repository.ts';
import { openDatabase } from '../../src/db/open-database.ts';

/**
 * A county's database after a busy year, for the benchmark: VILLAGES villages with one agent each
 * and TOTAL errands spread over them — most closed and rated, some at the centre (a few overdue),
 * some held by the agent, and OPEN_PER_VILLAGE waiting to be claimed. `openWithClocks` adds that many
 * more requested errands spread over the villages, each with a running claim clock due 3–22 days
 * ahead (for the alert benchmark: every one of them gets a delayed job).
 */

export interface Prefilled {
  agents: string[];
  rooms: string[];
  /** Per agent, the receipt numbers of requested errands it may claim. */
  claimable: string[][];
  total: number;
  /** Errands with a running clock (each gets alert jobs). */
  runningClocks: number;
}

export function prefill(
  sqlitePath: string,
  options: { villages: number; total: number; openPerVillage: number; openWithClocks?: number; now: number },
): Prefilled {
  const database = openDatabase(sqlitePath);
  const roster = JSON.parse(readFileSync('data/demo-roster.json', 'utf8')) as {
    townships: { villages: object[] }[];
    people: object[];
    rooms: object[];
  };
  const agents: string[] = [];
  const rooms: string[] = [];
  const township = roster.townships[0];
  if (!township) throw new Error('demo roster has no township');
  for (let v = 0; v < options.villages; v++) {
    township.villages.push({ code: `b${v}`, name: `试点${v}村`, population: 1000, distanceKm: 10, remote: false });
    roster.people.push({
      id: `bench-agent-${v}`,
      name: `代办${v}`,
      phone: `1360000${String(1000 + v)}`,
      village: `b${v}`,
      roles: [{ role: 'agent', village: `b${v}` }],
      identities: [{ channel: 'simulator', id: `bench-agent-${v}` }],
    });
    roster.people.push({
      id: `bench-resident-${v}`,
      name: `村民${v}`,
      phone: `1350000${String(1000 + v)}`,
      village: `b${v}`,
      identities: [{ channel: 'simulator', id: `bench-resident-${v}` }],
    });
    roster.rooms.push({ channel: 'simulator', id: `b${v}-agents@chatroom`, kind: 'village_agents', village: `b${v}` });
    agents.push(`bench-agent-${v}`);
    rooms.push(`b${v}-agents@chatroom`);
  }
  loadRoster(database, roster, options.now);
  seedCatalogIfEmpty(database, readCatalogFile('data/catalog.yaml'), options.now);

  const claimable: string[][] = agents.map(() => []);
  const day = 24 * 3_600_000;
  const insertErrand = database.sqlite.prepare(
    `INSERT INTO errands (receipt_no, direction, status, item_id, item_version, village_code, township_code, requester_id, beneficiary, agent_id, channel,
       entrustment_status, version, created_at, updated_at, closed_at)
     VALUES (?, 'village_to_centre', ?, 'homestead-building-application', 1, ?, 'qs', ?, '{"kind":"self"}', ?, 'simulator', 'confirmed', 1, ?, ?, ?) RETURNING id`,
  );
  const insertEvent = database.sqlite.prepare(
    "INSERT INTO errand_events (errand_id, version, type, from_status, to_status, actor_person_id, actor_role, at) VALUES (?, 1, 'request', NULL, 'requested', ?, 'resident', ?)",
  );
  const insertDeadline = database.sqlite.prepare(
    'INSERT INTO errand_deadlines (errand_id, kind, status, started_at, working_days, due_date, due_at, provisional, closed_at) VALUES (?, ?, ?, ?, 1, ?, ?, 0, ?)',
  );
  const date = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
  database.write(() => {
    for (let i = 0; i < options.total; i++) {
      const v = i % options.villages;
      const nth = Math.floor(i / options.villages);
      const created = options.now - (options.total - i) * 300_000;
      const receipt = `DB260101${String(i + 1).padStart(6, '0')}`;
      const open = nth < options.openPerVillage;
      const held = !open && nth < options.openPerVillage + 50;
      const atCentre = !open && !held && nth < options.openPerVillage + 100;
      const status = open ? 'requested' : held ? 'claimed' : atCentre ? 'in_progress' : 'closed';
      const row = insertErrand.get(
        receipt,
        status,
        `b${v}`,
        `bench-resident-${v}`,
        open ? null : `bench-agent-${v}`,
        created,
        created,
        status === 'closed' ? created + day : null,
      ) as { id: number };
      insertEvent.run(row.id, `bench-resident-${v}`, created);
      const dueAt = status === 'in_progress' && nth % 2 === 0 ? options.now - day : options.now + 5 * day;
      if (status === 'closed')
        insertDeadline.run(row.id, 'claim', 'met', created, date(created + day), endOfShanghaiDay(date(created + day)), created + 3_600_000);
      else insertDeadline.run(row.id, status === 'in_progress' ? 'completion' : 'claim', 'running', created, date(dueAt), dueAt, null);
      if (open) claimable[v]?.push(receipt);
    }
    const extra = options.openWithClocks ?? 0;
    for (let i = 0; i < extra; i++) {
      const v = i % options.villages;
      const created = options.now - (extra - i) * 1000;
      const row = insertErrand.get(`DB260102${String(i + 1).padStart(6, '0')}`, 'requested', `b${v}`, `bench-resident-${v}`, null, created, created, null) as {
        id: number;
      };
      insertEvent.run(row.id, `bench-resident-${v}`, created);
      const dueDate = date(options.now + (3 + (i % 20)) * day);
      insertDeadline.run(row.id, 'claim', 'running', created, dueDate, endOfShanghaiDay(dueDate), null);
    }
  });
  database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const { n } = database.sqlite.prepare("SELECT count(*) AS n FROM errand_deadlines WHERE status = 'running'").get() as { n: number };
  database.close();
  return { agents, rooms, claimable, total: options.total + (options.openWithClocks ?? 0), runningClocks: n };
}
