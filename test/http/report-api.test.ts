import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileErrandByChat, homesteadAnswers } from '../support/intake.ts';
import { auth, startTestApp, type TestApp } from '../support/test-app.ts';

/** GET /api/admin/reports?month= and POST /api/admin/reports/:month/compute, behind the admin token. */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  // Tue 2026-12-01: one errand in 柳湾社区, nobody claims it (overdue from Thu 12-03).
  await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
  app.clock.now = Date.parse('2027-01-05T10:00:00+08:00');
});
afterAll(async () => {
  await app.close();
});

const get = (url: string, headers: Record<string, string> = auth) => app.daiban.server.inject({ method: 'GET', url, headers });
const post = (url: string, headers: Record<string, string> = auth) => app.daiban.server.inject({ method: 'POST', url, headers });

describe('the monthly reports API', () => {
  it('needs the admin token', async () => {
    expect((await get('/api/admin/reports?month=2026-12', {})).statusCode).toBe(401);
    expect((await post('/api/admin/reports/2026-12/compute', { authorization: 'Bearer wrong-token-0123456789' })).statusCode).toBe(401);
  });

  it('refuses a month that is not YYYY-MM, or has not begun, with 400', async () => {
    for (const month of ['2026-13', '2026-1', '12-2026', 'last', '2026-12-01']) {
      const r = await get(`/api/admin/reports?month=${month}`);
      expect(r.statusCode, month).toBe(400);
      expect(r.json<{ error: string; message: string }>()).toMatchObject({ error: 'invalid_request', message: 'month: must be a month YYYY-MM' });
    }
    expect((await get('/api/admin/reports')).statusCode).toBe(400);
    expect((await post('/api/admin/reports/2026-00/compute')).statusCode).toBe(400);
    const future = await post('/api/admin/reports/2027-02/compute');
    expect(future.statusCode).toBe(400);
    expect(future.json<{ message: string }>().message).toBe('2027-02 has not begun yet');
  });

  it('has nothing for a month not computed, then computes one on demand and returns the stored figures', async () => {
    expect((await get('/api/admin/reports?month=2026-12')).json()).toEqual({ month: '2026-12', reports: [] });

    const computed = await post('/api/admin/reports/2026-12/compute');
    expect(computed.statusCode).toBe(200);
    const listed = await get('/api/admin/reports?month=2026-12');
    expect(listed.statusCode).toBe(200);
    const body = listed.json<{
      month: string;
      reports: { unitKind: string; unitCode: string; name: string; figures: Record<string, unknown>; computedAt: string }[];
    }>();
    expect(body).toEqual(computed.json());
    expect(body.reports.map((r) => `${r.unitKind}:${r.unitCode}:${r.name}`)).toEqual([
      'county:county:示范县',
      'township:qs:青山镇',
      'village:qs-bh:白鹤村',
      'village:qs-lw:柳湾社区',
      'village:qs-sq:石桥村',
    ]);
    const liuwan = body.reports.find((r) => r.unitCode === 'qs-lw');
    expect(liuwan?.figures).toMatchObject({ errands: 1, completed: 0, overdue: 1, onTimeRate: null, satisfaction: null, complaints: 0 });
    expect(liuwan?.computedAt).toBe('2027-01-05T02:00:00.000Z');
    expect(body.reports.find((r) => r.unitCode === 'county')?.figures).toMatchObject({ errands: 1, overdue: 1 });
  });
});
