import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startServerProcess } from '../support/server-process.ts';
import { ADMIN_TOKEN } from '../support/test-app.ts';

/**
 * kill -9 of the process: every errand whose receipt number the bot sent to a resident is in the
 * database afterwards, and no errand is half-written (each has its history, entrustment, one-time
 * notice and clock).
 */

const dir = mkdtempSync(join(tmpdir(), 'daiban-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
const RESIDENTS = 16;

function roster() {
  const demo = JSON.parse(readFileSync('data/demo-roster.json', 'utf8')) as { people: object[] };
  for (let i = 0; i < RESIDENTS; i++) {
    demo.people.push({
      id: `crash-${i}`,
      name: `村民${i}`,
      phone: `1390000${String(1000 + i)}`,
      village: 'qs-lw',
      tags: [],
      roles: [],
      identities: [{ channel: 'simulator', id: `crash-${i}` }],
    });
  }
  return demo;
}

describe('a crash of the process', () => {
  it('loses no acknowledged errand and leaves none half-written', async () => {
    const sqlitePath = join(dir, 'crash.db');
    const server = await startServerProcess({
      ADMIN_TOKEN,
      SIMULATOR_ENABLED: 'true',
      SQLITE_PATH: sqlitePath,
      REDIS_URL: inject('redisUrl'),
      BULLMQ_PREFIX: `crash${process.pid}`,
    });
    const put = await fetch(`${server.url}/api/admin/roster`, { method: 'PUT', headers, body: JSON.stringify(roster()) });
    expect(put.status).toBe(200);

    const acknowledged: string[] = [];
    let killed = false;
    const say = async (from: string, text: string) => {
      const r = await fetch(`${server.url}/api/simulator/messages`, { method: 'POST', headers, body: JSON.stringify({ from, room: null, text }) });
      const body = (await r.json()) as { replies: { text: string }[] };
      return body.replies.map((x) => x.text).join('\n');
    };
    const intake = async (i: number) => {
      // Each resident files errands until the process dies under them.
      for (let round = 0; !killed; round++) {
        for (const text of ['宅基地建房', '1', '1', '同意', '知道了', '1']) {
          const reply = await say(`crash-${i}`, text);
          const receipt = /DB\d{9,}/.exec(reply)?.[0];
          if (receipt) acknowledged.push(receipt);
        }
      }
    };
    const running = Array.from({ length: RESIDENTS }, (_, i) => intake(i).catch(() => undefined));
    // Let some errands through, then kill in the middle of the traffic.
    while (acknowledged.length < 20) await new Promise((r) => setTimeout(r, 10));
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGKILL');
    killed = true;
    await Promise.all(running);
    await exited;

    const db = new BetterSqlite3(sqlitePath);
    try {
      const stored = new Set((db.prepare('SELECT receipt_no AS r FROM errands').all() as { r: string }[]).map((x) => x.r));
      for (const receipt of acknowledged) expect(stored.has(receipt), receipt).toBe(true);
      const incomplete = db
        .prepare(
          `SELECT e.receipt_no FROM errands e
           WHERE NOT EXISTS (SELECT 1 FROM errand_events v WHERE v.errand_id = e.id)
              OR NOT EXISTS (SELECT 1 FROM entrustments t WHERE t.errand_id = e.id)
              OR NOT EXISTS (SELECT 1 FROM one_time_notices n WHERE n.errand_id = e.id)
              OR NOT EXISTS (SELECT 1 FROM errand_deadlines d WHERE d.errand_id = e.id)`,
        )
        .all();
      expect(incomplete).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      console.log(`acknowledged ${acknowledged.length} errands before kill -9; ${stored.size} stored`);
    } finally {
      db.close();
    }
  });
});
