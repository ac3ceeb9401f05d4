import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileErrandByChat, homesteadAnswers } from '../support/intake.ts';
import { auth, startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const put = (payload: unknown) => app.daiban.server.inject({ method: 'PUT', url: '/api/admin/calendar/overrides', headers: auth, payload: payload as object });

describe('local calendar overrides', () => {
  it('moves a deadline past a day the township centre is closed', async () => {
    // The test clock starts on Tue 2026-12-01: a 1-working-day claim deadline falls on Wed 12-02, unless 12-02 is closed.
    const r = await put({ scope: 'qs', overrides: [{ date: '2026-12-02', kind: 'closed', reason: '暴雨停电' }] });
    expect(r.json()).toEqual({ ok: true, scope: 'qs', count: 1 });
    const receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
    const errand = (await app.daiban.server.inject({ method: 'GET', url: `/api/errands/${receipt}`, headers: auth })).json<{
      deadlines: { kind: string; dueDate: string }[];
    }>();
    expect(errand.deadlines[0]).toMatchObject({ kind: 'claim', dueDate: '2026-12-03' });
    const listed = (await app.daiban.server.inject({ method: 'GET', url: '/api/admin/calendar/overrides', headers: auth })).json<{ overrides: unknown[] }>();
    expect(listed.overrides).toEqual([{ scope: 'qs', date: '2026-12-02', kind: 'closed', reason: '暴雨停电' }]);
  });

  it('refuses unknown scopes, bad dates and duplicates with 422, and needs the token', async () => {
    expect((await put({ scope: 'nowhere', overrides: [] })).statusCode).toBe(422);
    expect((await put({ scope: 'county', overrides: [{ date: '2026-02-30', kind: 'closed', reason: 'x' }] })).statusCode).toBe(422);
    expect((await put({ scope: 'county', overrides: [{ date: '2026-12-08', kind: 'shut', reason: 'x' }] })).statusCode).toBe(422);
    const twice = await put({
      overrides: [
        { date: '2026-12-08', kind: 'closed', reason: 'x' },
        { date: '2026-12-08', kind: 'open', reason: 'y' },
      ],
    });
    expect(twice.statusCode).toBe(422);
    expect((await app.daiban.server.inject({ method: 'PUT', url: '/api/admin/calendar/overrides', payload: { overrides: [] } })).statusCode).toBe(401);
  });
});
