import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../src/calendar/local-date.ts';
import { insertOutbox, markOutboxFailed, markOutboxSent, markOutboxSentVia } from '../../src/db/outbox-repository.ts';
import { fileErrandByChat, homesteadAnswers } from '../support/intake.ts';
import { auth, START, startTestApp, type TestApp } from '../support/test-app.ts';

/** GET /api/admin/deliveries: how a period's notifications reached people, per channel and route, and where agents had to go instead. */

let app: TestApp;
const DAY = 24 * 3_600_000;
const at = START + 100 * DAY;
const date = shanghaiDate(at);
beforeAll(async () => {
  app = await startTestApp({ worker: false });
  const receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
  const db = app.daiban.database;
  const errandId = db.sqlite.prepare<[string], { id: number }>('SELECT id FROM errands WHERE receipt_no = ?').get(receipt)!.id;
  const note = (channel: string, recipient: string, when = at, errand: number | null = null) =>
    db.write(() => insertOutbox(db, [{ channel, recipient, room: null, text: '通知', kind: 'notification', errandId: errand }], when))[0]!;
  markOutboxSentVia(db, { id: note('official-account', 'o1'), route: 'customer_service', detail: 'customer_service: ok', handOver: [], now: at });
  markOutboxSentVia(db, { id: note('official-account', 'o2'), route: 'template', detail: 'template: ok', handOver: [], now: at });
  markOutboxSentVia(db, { id: note('official-account', 'o3', at, errandId), route: 'agent_task', detail: 'agent_task: 1 message(s)', handOver: [], now: at });
  db.write(() => markOutboxFailed(db, note('official-account', 'o4'), 'errcode 40164', 1, true));
  db.write(() => markOutboxSent(db, note('simulator', 's1'), at));
  note('simulator', 's2');
  // Outside the period asked for, and a reply (not a notification): not counted.
  markOutboxSentVia(db, { id: note('official-account', 'o5', at - 40 * DAY), route: 'template', detail: 'template: ok', handOver: [], now: at });
  db.write(() => insertOutbox(db, [{ channel: 'simulator', recipient: 's3', room: null, text: '回复', kind: 'reply' }], at));
});
afterAll(async () => {
  await app.close();
});

const get = (query: string, headers: Record<string, string> = auth) =>
  app.daiban.server.inject({ method: 'GET', url: `/api/admin/deliveries${query}`, headers });

describe('GET /api/admin/deliveries', () => {
  it('counts a day’s notifications per channel and route, and the agents’ phone calls per village', async () => {
    const r = await get(`?from=${date}&to=${date}`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      from: date,
      to: date,
      channels: [
        { channel: 'official-account', sent: 3, pending: 0, dead: 1, routes: { agent_task: 1, customer_service: 1, template: 1 } },
        { channel: 'simulator', sent: 1, pending: 1, dead: 0, routes: { direct: 1 } },
      ],
      agentTasks: [{ village: 'qs-lw', name: '柳湾社区', count: 1 }],
    });
  });

  it('takes the last 30 days by default, and refuses a bad period', async () => {
    app.clock.now = at;
    const r = await get('');
    expect(r.json()).toMatchObject({ to: date, channels: [{ channel: 'official-account', sent: 3 }, { channel: 'simulator' }] });
    for (const query of [`?from=${date}&to=2026-01-01`, '?from=2026-13-01', '?from=2024-01-01&to=2026-12-01']) expect((await get(query)).statusCode).toBe(400);
    expect((await get('', {})).statusCode).toBe(401);
  });
});
