import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schemas from '../../../src/http/routes/mini-program-schemas.ts';
import { startMiniProgram, type MiniProgramHarness } from '../../support/mini-program.ts';
import { auth } from '../../support/test-app.ts';

/** 好差评 through the mini-program (the chat's window and rules), and subscribe-message credits. */

let mp: MiniProgramHarness;
let token: string;
let version: string;

beforeAll(async () => {
  mp = await startMiniProgram();
  token = await mp.resident('o-rate-1', { name: '何小梅', villageCode: 'qs-lw', phone: '13700001234' });
  version = (await mp.call('GET', '/api/mp/entrustment?itemId=homestead-building-application', token)).json<{ entrustment: { version: string } }>().entrustment
    .version;
});
afterAll(async () => {
  await mp.close();
});

const sql = <T>(query: string, ...params: unknown[]) => mp.app.daiban.database.sqlite.prepare(query).all(...params) as T[];
const statusOf = (receipt: string) => sql<{ status: string }>('SELECT status FROM errands WHERE receipt_no = ?', receipt)[0]?.status;
const rate = (receipt: string, body: unknown, as = token) => mp.call('POST', `/api/mp/errands/${receipt}/rating`, as, body);

let n = 0;
/** Files through the form, then the agent and the centre take it to "fed back" by chat commands. */
async function fedBack(options: { stopBeforeFeedback?: boolean } = {}): Promise<string> {
  const r = await mp.call(
    'POST',
    '/api/mp/errands',
    token,
    { itemId: 'homestead-building-application', entrustment: { confirmed: true, version } },
    { 'idempotency-key': `rating-${++n}-abcdef` },
  );
  expect(r.statusCode).toBe(201);
  const receipt = r.json<{ receiptNo: string }>().receiptNo;
  const lw = 'lw-agents@chatroom';
  const centre = 'qs-centre@chatroom';
  const steps: [string, string, string | null][] = [
    ['agent-sun', `接单 ${receipt}`, lw],
    ['agent-sun', `收件 ${receipt}`, lw],
    ['agent-sun', `递交 ${receipt}`, lw],
    ['centre-chen', `受理 ${receipt} 3个工作日`, centre],
    ['centre-chen', `办结 ${receipt} 已批准`, centre],
    ...(options.stopBeforeFeedback ? [] : [['agent-sun', `反馈 ${receipt}`, null] as [string, string, null]]),
  ];
  for (const [from, text, room] of steps) await mp.app.say(from, text, room);
  expect(statusOf(receipt)).toBe(options.stopBeforeFeedback ? 'completed' : 'fed_back');
  return receipt;
}

describe('POST /api/mp/errands/:receiptNo/rating', () => {
  it('refuses a rating before the result was fed back (403), then takes score 5 as the best (非常满意) and closes the errand', async () => {
    const receipt = await fedBack({ stopBeforeFeedback: true });
    const early = await rate(receipt, { score: 5 });
    expect(early.statusCode).toBe(403);
    expect(early.json<{ message: string }>().message).toMatch(/not waiting for a rating/);
    await mp.app.say('agent-sun', `反馈 ${receipt}`, null);
    const r = await rate(receipt, { score: 5 });
    expect(r.statusCode).toBe(200);
    expect(schemas.ratingAnswer.parse(r.json())).toEqual({ receiptNo: receipt, round: 'first', status: 'closed' });
    expect(sql('SELECT round, level, reason_kind FROM ratings r JOIN errands e ON e.id = r.errand_id WHERE e.receipt_no = ?', receipt)).toEqual([
      { round: 'first', level: 5, reason_kind: null },
    ]);
    // The best score opens no rectification case and tells no supervisor.
    expect(sql('SELECT count(*) AS n FROM rectification_cases c JOIN errands e ON e.id = c.errand_id WHERE e.receipt_no = ?', receipt)).toEqual([{ n: 0 }]);
    const report = await mp.app.daiban.server.inject({ method: 'GET', url: `/api/errands/${receipt}`, headers: auth });
    expect(report.json<{ rating: unknown }>().rating).toMatchObject({ level: 5, words: '非常满意', round: 'first' });
    const twice = await rate(receipt, { score: 4 });
    expect(twice.statusCode).toBe(403);
    expect(sql('SELECT count(*) AS n FROM ratings')).toEqual([{ n: 1 }]);
  });

  it('needs a reason for a bad review (2 or 1); "办错了" in words is a work error and the errand is handled again at once', async () => {
    const receipt = await fedBack();
    const bare = await rate(receipt, { score: 1 });
    expect(bare.statusCode).toBe(400);
    expect(bare.json<{ message: string }>().message).toMatch(/needs a reason/);
    expect(statusOf(receipt)).toBe('fed_back');
    const r = await rate(receipt, { score: 2, reason: '材料办错了，名字写错' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'reopened' });
    expect(sql('SELECT level, reason_kind, reason FROM ratings r JOIN errands e ON e.id = r.errand_id WHERE e.receipt_no = ?', receipt)).toEqual([
      { level: 2, reason_kind: 'work_error', reason: '材料办错了，名字写错' },
    ]);
  });

  it('opens a rectification case for a bad review of another kind, and tells the supervisor', async () => {
    const receipt = await fedBack();
    const r = await rate(receipt, { score: 1, reasonKind: 'slow' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'closed', round: 'first' });
    expect(sql('SELECT count(*) AS n FROM rectification_cases c JOIN errands e ON e.id = c.errand_id WHERE e.receipt_no = ?', receipt)).toEqual([{ n: 1 }]);
    const supervisor = await mp.app.waitForOutbox({ to: 'supervisor-zhou' }, 1);
    expect(supervisor.find((m) => m.text.includes(receipt))?.text).toContain('评分：非常不满意（1星）');
  });

  it('rates the fix of a bad review once the supervisor recorded it (the rectification round)', async () => {
    const receipt = await fedBack();
    expect((await rate(receipt, { score: 2, reasonKind: 'attitude' })).statusCode).toBe(200);
    expect((await rate(receipt, { score: 5 })).statusCode).toBe(403);
    const [recorded] = await mp.app.say('supervisor-zhou', `整改 ${receipt} 已上门说明`);
    expect(recorded).toContain(receipt);
    const fix = await rate(receipt, { score: 4 });
    expect(fix.statusCode).toBe(200);
    expect(fix.json()).toEqual({ receiptNo: receipt, round: 'rectification', status: 'closed' });
    expect(sql('SELECT round, level FROM ratings r JOIN errands e ON e.id = r.errand_id WHERE e.receipt_no = ? ORDER BY r.id', receipt)).toEqual([
      { round: 'first', level: 2 },
      { round: 'rectification', level: 4 },
    ]);
    expect((await rate(receipt, { score: 5 })).statusCode).toBe(403);
  });

  it('answers 404 for someone else’s errand and 400 for a score out of range', async () => {
    const receipt = await fedBack();
    const stranger = await mp.resident('o-rate-stranger', { name: '韩梅', villageCode: 'qs-lw', phone: null });
    expect((await rate(receipt, { score: 5 }, stranger)).statusCode).toBe(404);
    expect((await rate(receipt, { score: 6 })).statusCode).toBe(400);
    expect((await rate(receipt, { score: 0 })).statusCode).toBe(400);
    expect((await rate(receipt, { score: 4.5 })).statusCode).toBe(400);
    expect((await rate(receipt, { score: 5, reasonKind: 'bribery' })).statusCode).toBe(400);
    expect(statusOf(receipt)).toBe('fed_back');
  });
});

describe('subscribe-message credits', () => {
  it('grants one credit per accept, per user and template, and lists them', async () => {
    const empty = await mp.call('GET', '/api/mp/subscriptions', token);
    schemas.creditsAnswer.parse(empty.json());
    expect(empty.json()).toEqual({ credits: [] });
    const r = await mp.call('POST', '/api/mp/subscriptions', token, { results: { 'tmpl-progress': 'accept', 'tmpl-result': 'reject', 'tmpl-rating': 'ban' } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ credits: [{ templateId: 'tmpl-progress', credits: 1 }] });
    // As wx.requestSubscribeMessage answers it, errMsg included.
    const raw = await mp.call('POST', '/api/mp/subscriptions', token, {
      results: { errMsg: 'requestSubscribeMessage:ok', 'tmpl-progress': 'accept', 'tmpl-result': 'accept' },
    });
    expect(raw.statusCode).toBe(200);
    expect((await mp.call('GET', '/api/mp/subscriptions', token)).json()).toEqual({
      credits: [
        { templateId: 'tmpl-progress', credits: 2 },
        { templateId: 'tmpl-result', credits: 1 },
      ],
    });
    const other = await mp.login('o-rate-other');
    expect((await mp.call('GET', '/api/mp/subscriptions', other)).json()).toEqual({ credits: [] });
    expect(sql('SELECT app, open_id FROM subscribe_credits GROUP BY open_id')).toEqual([{ app: 'mini-program', open_id: 'o-rate-1' }]);
  });

  it('refuses malformed results with 400 and grants nothing', async () => {
    for (const body of [{ results: { 'tmpl-x': 'maybe' } }, { results: {} }, { results: { 'bad id!': 'accept' } }, {}]) {
      const r = await mp.call('POST', '/api/mp/subscriptions', token, body);
      expect(r.statusCode).toBe(400);
    }
    expect(sql("SELECT count(*) AS n FROM subscribe_credits WHERE template_id = 'tmpl-x'")).toEqual([{ n: 0 }]);
    expect((await mp.call('GET', '/api/mp/subscriptions', null)).statusCode).toBe(401);
  });
});
