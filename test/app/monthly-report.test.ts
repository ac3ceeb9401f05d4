import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportFigures } from '../../src/db/schema.ts';
import type { DigestJobData } from '../../src/jobs/digest-jobs.ts';
import { fileErrandByChat, homesteadAnswers } from '../support/intake.ts';
import { START, startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Monthly figures per village, township and county, stored in monthly_reports: a small known set
 * of errands — one filed in November and claimed in December; in 柳湾社区 one completed after
 * three working days, rated 满意 and complained about, one claimed late; in 石桥村 one nobody
 * claimed (overdue at the month's end).
 */

let app: TestApp;
const at = (iso: string) => Date.parse(`${iso}+08:00`);
const lw = 'lw-agents@chatroom';
const centre = 'qs-centre@chatroom';

async function say(from: string, text: string, room: string | null = null) {
  const [reply] = await app.say(from, text, room);
  if (!reply || /不能|没有找到|格式不对/.test(reply)) throw new Error(`${text} was refused: ${reply ?? '(no reply)'}`);
}

beforeAll(async () => {
  app = await startTestApp();
  app.clock.now = at('2026-11-30T10:00:00');
  const november = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
  app.clock.now = START; // Tue 12-01
  await say('agent-sun', `接单 ${november}`, lw);
  const done = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
  for (const text of [`接单 ${done}`, `收件 ${done}`, `递交 ${done}`]) await say('agent-sun', text, lw);
  await fileErrandByChat(app, 'zhang-xiuhua', '宅基地建房', homesteadAnswers);
  const late = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
  app.clock.now = at('2026-12-04T10:00:00'); // Fri: three working days after filing
  await say('centre-chen', `受理 ${done} 3个工作日`, centre);
  await say('centre-chen', `办结 ${done} 已批准`, centre);
  await say('agent-sun', `反馈 ${done}`);
  await say('liu-fang', '4'); // 满意 (5 is 非常满意)
  await say('liu-fang', '投诉 代办员态度不好');
  await say('liu-fang', '3');
  await say('agent-sun', `接单 ${late}`, lw); // claim was due Wed 12-02
  await app.settle();
});
afterAll(async () => {
  await app.close();
});

const zero: ReportFigures = {
  errands: 0,
  completed: 0,
  clocksMet: 0,
  clocksBreached: 0,
  onTimeRate: null,
  overdue: 0,
  workingDaysTotal: 0,
  averageWorkingDays: null,
  ratings: 0,
  goodRatings: 0,
  satisfaction: null,
  complaints: 0,
};
// 柳湾社区: the November errand's claim, and the completed errand's claim, delivery, completion,
// feedback and rating clocks met; the late one's claim breached.
const liuwan: ReportFigures = {
  errands: 2,
  completed: 1,
  clocksMet: 6,
  clocksBreached: 1,
  onTimeRate: 6 / 7,
  overdue: 0,
  workingDaysTotal: 3,
  averageWorkingDays: 3,
  ratings: 1,
  goodRatings: 1,
  satisfaction: 1,
  complaints: 1,
};
const shiqiao: ReportFigures = { ...zero, errands: 1, overdue: 1 };
const qingshan: ReportFigures = { ...liuwan, errands: 3, overdue: 1 };

function stored(period: string) {
  return (
    app.daiban.database.sqlite
      .prepare(
        'SELECT unit_kind AS kind, unit_code AS code, figures, computed_at AS computedAt FROM monthly_reports WHERE period = ? ORDER BY unit_kind, unit_code',
      )
      .all(period) as {
      kind: string;
      code: string;
      figures: string;
      computedAt: number;
    }[]
  ).map((r) => ({ ...r, figures: JSON.parse(r.figures) as ReportFigures }));
}

async function runMonthlyJob(jobId: string): Promise<unknown> {
  const queue = app.daiban.digests.jobs.queue;
  await queue.add('monthly', { kind: 'monthly' } satisfies DigestJobData, { jobId });
  for (let i = 0; i < 200; i++) {
    const state = await queue.getJobState(jobId);
    const job = (await queue.getJob(jobId)) as Job | undefined;
    if (state === 'completed') return job?.returnvalue;
    if (state === 'failed') return `failed: ${job?.failedReason ?? '?'}`;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${jobId} did not finish`);
}

describe('monthly reports', () => {
  it('computes the month before on the 1st and stores every village, township and the county', async () => {
    app.clock.now = at('2027-01-01T01:30:00');
    expect(await runMonthlyJob('report-test-2026-12')).toEqual({ kind: 'computed', month: '2026-12', units: 5 });
    const rows = stored('2026-12');
    expect(rows.map((r) => [r.kind, r.code])).toEqual([
      ['county', 'county'],
      ['township', 'qs'],
      ['village', 'qs-bh'],
      ['village', 'qs-lw'],
      ['village', 'qs-sq'],
    ]);
    const figures = Object.fromEntries(rows.map((r) => [r.code, r.figures]));
    expect(figures['qs-lw']).toEqual(liuwan);
    expect(figures['qs-sq']).toEqual(shiqiao);
    expect(figures['qs-bh']).toEqual(zero);
    expect(figures.qs).toEqual(qingshan);
    expect(figures.county).toEqual(qingshan);
    expect(rows.every((r) => r.computedAt === at('2027-01-01T01:30:00'))).toBe(true);
  });

  it('counts each errand in the month it was filed, and overdue as at the end of that month', () => {
    app.clock.now = at('2027-01-02T10:00:00');
    const november = Object.fromEntries(app.daiban.digests.computeMonth('2026-11').map((r) => [r.unitCode, r.figures]));
    // Filed 11-30; its claim (due 12-01) was met in December: nothing closed or overdue in November.
    expect(november['qs-lw']).toEqual({ ...zero, errands: 1 });
    expect(november.county).toEqual({ ...zero, errands: 1 });
  });

  it('replaces a month’s rows when it is computed again', () => {
    app.clock.now = at('2027-01-03T10:00:00');
    app.daiban.digests.computeMonth('2026-12');
    const rows = stored('2026-12');
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.computedAt === at('2027-01-03T10:00:00'))).toBe(true);
    expect(rows.find((r) => r.code === 'qs-lw')?.figures).toEqual(liuwan);
  });

  it('agrees with what 统计 says for the same month', async () => {
    const [stats] = await app.say('supervisor-zhou', '统计 上月');
    expect(stats).toContain('【柳湾社区】受理 2 件，按时 86%，逾期 0 件，平均 3.0 个工作日，满意 100%，投诉 1 件');
    expect(stats).toContain('【石桥村】受理 1 件，按时 暂无，逾期 1 件');
  });
});
