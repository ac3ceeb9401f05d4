import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fedBackErrand, fileErrandByChat, homesteadAnswers } from '../support/intake.ts';
import { auth, startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
let receiptNo: string;
beforeAll(async () => {
  // Several errands for one resident in a minute: the per-person sending limit is not what is tested here.
  app = await startTestApp({ env: { OUTBOX_PERSON_PER_MINUTE: '500' } });
  receiptNo = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
  await fileErrandByChat(app, 'zhang-xiuhua', '低保', ['1', '1', '同意', '同意', '知道了', '1']);
});
afterAll(async () => {
  await app.close();
});

const get = (url: string, headers: Record<string, string> = auth) => app.daiban.server.inject({ method: 'GET', url, headers });

describe('GET /api/errands/<receiptNo>', () => {
  it('shows the errand with its item, village, resident, deadlines and history', async () => {
    const r = await get(`/api/errands/${receiptNo}`);
    expect(r.statusCode).toBe(200);
    const e = r.json<
      Record<string, unknown> & { deadlines: { kind: string; status: string; dueDate: string }[]; events: { type: string; at: string; actor: string }[] }
    >();
    expect(e).toMatchObject({
      receiptNo,
      status: 'requested',
      direction: 'village_to_centre',
      item: { id: 'homestead-building-application', name: '农村宅基地和建房申请' },
      village: 'qs-lw',
      villageName: '柳湾社区',
      resident: { id: 'liu', name: '刘芳' },
      agent: null,
      beneficiary: { kind: 'self' },
    });
    expect(e.deadlines).toEqual([expect.objectContaining({ kind: 'claim', status: 'running', dueDate: '2026-12-02' })]);
    expect(e.events).toEqual([expect.objectContaining({ type: 'request', actor: 'liu' })]);
    expect(Number.isNaN(Date.parse(e.events[0]?.at ?? ''))).toBe(false);
  });

  it('keeps the entrustment with its text version and the one-time notice of materials', async () => {
    const e = (await get(`/api/errands/${receiptNo}`)).json<{
      entrustments: { textVersion: string; text: string; privacyConsent: boolean | null; channel: string }[];
      notices: { version: number; kind: string; items: { name: string; inCatalogue: boolean }[] }[];
    }>();
    expect(e.entrustments).toHaveLength(1);
    expect(e.entrustments[0]?.textVersion).toMatch(/^[0-9a-f]{12}$/);
    expect(e.entrustments[0]?.text).toContain('代办不收任何费用');
    expect(e.entrustments[0]).toMatchObject({ privacyConsent: null, channel: 'simulator' });
    expect(e.notices[0]).toMatchObject({ version: 1, kind: 'intake' });
    expect(e.notices[0]?.items.length).toBeGreaterThan(0);
    expect(e.notices[0]?.items.every((i) => i.inCatalogue)).toBe(true);
  });

  it('records the separate privacy consent for a privacy-sensitive item', async () => {
    const list = (await get('/api/errands?village=qs-sq')).json<{ errands: { receiptNo: string }[] }>();
    const dibao = (await get(`/api/errands/${list.errands[0]?.receiptNo ?? ''}`)).json<{ entrustments: { privacyConsent: boolean }[] }>();
    expect(dibao.entrustments[0]?.privacyConsent).toBe(true);
  });

  it('answers 404 for an unknown number, 400 for a malformed one, 401 without the token', async () => {
    expect((await get('/api/errands/DB261201999')).statusCode).toBe(404);
    expect((await get('/api/errands/hello')).statusCode).toBe(400);
    expect((await get(`/api/errands/${receiptNo}`, {})).statusCode).toBe(401);
  });
});

describe('GET /api/errands', () => {
  it('filters by status and village', async () => {
    const all = (await get('/api/errands')).json<{ errands: { receiptNo: string; village: string }[] }>();
    expect(all.errands).toHaveLength(2);
    const lw = (await get('/api/errands?village=qs-lw&status=requested')).json<{ errands: { receiptNo: string }[] }>();
    expect(lw.errands.map((e) => e.receiptNo)).toEqual([receiptNo]);
    const none = (await get('/api/errands?status=closed')).json<{ errands: unknown[] }>();
    expect(none.errands).toEqual([]);
    expect((await get('/api/errands?status=nonsense')).statusCode).toBe(400);
  });
});

describe('the 好差评 of an errand in GET /api/errands/<receiptNo>', () => {
  type Rated = { round: string; level: number; words: string; at: string };
  const anyTime = expect.any(String) as string;
  type Report = { rating: Rated | null; ratings: (Rated & { reasonKind: string | null; reason: string | null })[] };

  it('is null before the resident rates, then the latest rating numbered like stars, every round in ratings', async () => {
    const before = (await get(`/api/errands/${receiptNo}`)).json<Report>();
    expect(before.rating).toBeNull();
    expect(before.ratings).toEqual([]);

    const rated = await fedBackErrand(app);
    expect((await get(`/api/errands/${rated}`)).json<Report>().rating).toBeNull();
    await app.say('liu-fang', '2'); // 不满意
    await app.say('liu-fang', '太慢了');
    const first = (await get(`/api/errands/${rated}`)).json<Report>();
    expect(first.rating).toEqual({ level: 2, words: '不满意', round: 'first', at: anyTime });
    expect(Number.isNaN(Date.parse(first.rating?.at ?? ''))).toBe(false);

    // The supervisor records the rectification; the resident rates the fix with five stars.
    await app.say('supervisor-zhou', `整改 ${rated} 已上门说明并加快办理`);
    await app.settle();
    await app.say('liu-fang', '五星');
    const after = (await get(`/api/errands/${rated}`)).json<Report>();
    expect(after.rating).toEqual({ level: 5, words: '非常满意', round: 'rectification', at: anyTime });
    expect(after.ratings).toEqual([
      { round: 'first', level: 2, words: '不满意', reasonKind: 'slow', reason: '太慢了', at: anyTime },
      { round: 'rectification', level: 5, words: '非常满意', reasonKind: null, reason: null, at: anyTime },
    ]);
  });
});
