import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { MONTHLY_SCHEDULER, MORNING_SCHEDULER, morningPattern, type DigestJobData } from '../../src/jobs/digest-jobs.ts';
import { fileErrandByChat, homesteadAnswers } from '../support/intake.ts';
import { insertComplaint } from '../../src/db/complaint-repository.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Morning digests through a real Redis and SQLite: on a working day each agent room gets its
 * village's open errands with their next deadlines (masked names), the centre room its queue and
 * the supervisor a county summary; nothing on a Sunday or a holiday, but a make-up Saturday
 * counts; a day run twice sends once. The job schedulers are set in Redis at start-up.
 */

let app: TestApp;
let waiting: string;
let atCentre: string;
const lw = 'lw-agents@chatroom';
const sq = 'sq-agents@chatroom';
const centre = 'qs-centre@chatroom';
const at = (iso: string) => Date.parse(`${iso}+08:00`);

beforeAll(async () => {
  app = await startTestApp();
  // Tue 2026-12-01: one errand waits for an agent (claim due Wed 12-02), one is at the centre.
  waiting = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
  atCentre = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
  for (const text of [`接单 ${atCentre}`, `收件 ${atCentre}`, `递交 ${atCentre}`]) await app.say('agent-sun', text, lw);
  await app.say('centre-chen', `受理 ${atCentre} 3个工作日`, centre);
  await app.settle();
});
afterAll(async () => {
  await app.close();
});

const count = async (query: { to?: string; room?: string }) => (await app.outbox(query)).length;

/** Adds a job to the digests queue and waits for the worker to finish it. */
async function runJob(data: unknown, jobId: string): Promise<{ state: string; value: unknown; attempts: number }> {
  const queue = app.daiban.digests.jobs.queue;
  await queue.add('morning', data as DigestJobData, { jobId, attempts: 3 });
  for (let i = 0; i < 200; i++) {
    const state = await queue.getJobState(jobId);
    // Read after the state settled: a job read earlier may miss its result.
    const job = (await queue.getJob(jobId)) as Job | undefined;
    if (job && state === 'completed') return { state, value: job.returnvalue, attempts: job.attemptsMade };
    if (job && state === 'failed') return { state, value: job.failedReason, attempts: job.attemptsMade };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${jobId} did not finish`);
}

describe('the morning digest', () => {
  it('sends each agent room its open errands with their next deadlines, masked; a room with nothing open gets nothing', async () => {
    const [lwBefore, sqBefore] = [await count({ room: lw }), await count({ room: sq })];
    app.clock.now = at('2026-12-02T08:30:00');
    // The 柳湾 room, the centre room and the supervisor; 石桥村 and 白鹤村 have nothing open.
    expect(await app.daiban.digests.runMorning()).toBe(3);
    const [digest] = (await app.waitForOutbox({ room: lw }, lwBefore + 1)).slice(lwBefore);
    expect(digest?.text).toBe(
      [
        '☀️早报 12月2日 周三：柳湾社区在办 2 件。',
        `1. ${waiting} 农村宅基地和建房申请（刘*）等代办员接单，接单期限 12月2日 周三（今天到期）`,
        `2. ${atCentre} 农村宅基地和建房申请（刘*）窗口正在办理，办结期限 12月4日 周五`,
      ].join('\n'),
    );
    expect(digest?.text).not.toContain('刘芳');
    await app.settle();
    expect(await count({ room: sq })).toBe(sqBefore);
  });

  it('sends the centre room its queue and the supervisor a county summary', async () => {
    const [fromCentre] = (await app.outbox({ room: centre })).filter((m) => m.text.startsWith('☀️早报'));
    expect(fromCentre?.text).toBe(
      ['☀️早报 12月2日 周三：青山镇便民服务中心待办 1 件。', `1. ${atCentre} 农村宅基地和建房申请（柳湾社区 刘*）窗口正在办理，办结期限 12月4日 周五`].join(
        '\n',
      ),
    );
    const [summary] = (await app.outbox({ to: 'supervisor-zhou' })).filter((m) => m.text.startsWith('☀️早报'));
    expect(summary?.text).toBe(
      ['☀️早报 12月2日 周三：示范县在办 2 件，已超时 0 件，今天到期 1 件。', '【青山镇】在办 2 件，超时 0 件，今天到期 1 件'].join('\n'),
    );
  });

  it('sends a day once, however often it runs (again directly, or as a job)', async () => {
    const before = [await count({ room: lw }), await count({ room: centre }), await count({ to: 'supervisor-zhou' })];
    app.clock.now = at('2026-12-02T09:10:00');
    expect(await app.daiban.digests.runMorning()).toBe(0);
    expect(await runJob({ kind: 'morning' }, 'digest-test-again')).toEqual({
      state: 'completed',
      value: { kind: 'sent', date: '2026-12-02', messages: 0 },
      attempts: 1,
    });
    await app.settle();
    expect([await count({ room: lw }), await count({ room: centre }), await count({ to: 'supervisor-zhou' })]).toEqual(before);
    const keys = app.daiban.database.sqlite.prepare("SELECT dedupe_key AS k FROM outbox WHERE dedupe_key LIKE 'digest-2026-12-02-%' ORDER BY k").all();
    expect(keys).toEqual([
      { k: 'digest-2026-12-02-person-zhou' },
      { k: 'digest-2026-12-02-room-simulator-lw-agents@chatroom' },
      { k: 'digest-2026-12-02-room-simulator-qs-centre@chatroom' },
    ]);
  });

  it('runs as a job from the queue and marks what is overdue', async () => {
    const before = await count({ room: lw });
    app.clock.now = at('2026-12-03T08:30:00');
    expect(await runJob({ kind: 'morning' }, 'digest-test-1203')).toEqual({
      state: 'completed',
      value: { kind: 'sent', date: '2026-12-03', messages: 3 },
      attempts: 1,
    });
    const [digest] = (await app.waitForOutbox({ room: lw }, before + 1)).slice(before);
    expect(digest?.text).toContain('柳湾社区在办 2 件，其中 1 件已超时。');
    expect(digest?.text).toContain(`1. ${waiting} 农村宅基地和建房申请（刘*）等代办员接单，接单期限 12月2日 周三（已超时）`);
    const summaries = (await app.waitForOutbox({ to: 'supervisor-zhou' }, 2)).filter((m) => m.text.startsWith('☀️早报 12月3日'));
    expect(summaries.map((m) => m.text)).toEqual([
      '☀️早报 12月3日 周四：示范县在办 2 件，已超时 1 件，今天到期 0 件。\n【青山镇】在办 2 件，超时 1 件，今天到期 0 件',
    ]);
  });

  it('reminds the supervisors of complaints still open, overdue and due today', async () => {
    const { database } = app.daiban;
    const day = 24 * 3_600_000;
    database.write(() => {
      insertComplaint(database, {
        personId: 'liu',
        errandId: null,
        type: 'extra_fee',
        text: '收了钱',
        dueDate: '2026-12-04',
        dueAt: at('2026-12-04T23:59:59'),
        now: app.clock.now,
      });
      insertComplaint(database, {
        personId: 'liu',
        errandId: null,
        type: 'shirking',
        text: '没人管',
        dueDate: '2026-11-30',
        dueAt: at('2026-11-30T23:59:59'),
        now: app.clock.now - 10 * day,
      });
    });
    app.clock.now = at('2026-12-04T08:30:00');
    expect(await app.daiban.digests.runMorning()).toBe(3);
    const summaries = (await app.waitForOutbox({ to: 'supervisor-zhou' }, 3)).filter((m) => m.text.startsWith('☀️早报 12月4日'));
    expect(summaries.map((m) => m.text.split('\n').at(-1))).toEqual(['投诉未办结 2 件，超期 1 件，今天到期 1 件，请尽快处理。']);
  });

  it('sends nothing on a Sunday or a holiday, but does on a make-up Saturday', async () => {
    const total = () => app.daiban.database.sqlite.prepare("SELECT count(*) AS n FROM outbox WHERE dedupe_key LIKE 'digest-%'").get() as { n: number };
    const before = total().n;
    expect(await app.daiban.digests.runMorning(at('2026-12-06T08:30:00'))).toBe(0); // Sunday
    expect(await app.daiban.digests.runMorning(at('2026-10-01T08:30:00'))).toBe(0); // National Day
    expect(await app.daiban.digests.runMorning(at('2026-10-05T08:30:00'))).toBe(0); // a Monday inside the National Day week
    expect(total().n).toBe(before);
    // Sat 2026-10-10 is a make-up working day (调休上班) for National Day.
    const lwBefore = await count({ room: lw });
    expect(await app.daiban.digests.runMorning(at('2026-10-10T08:30:00'))).toBe(3);
    const lwDigests = (await app.waitForOutbox({ room: lw }, lwBefore + 1)).filter((m) => m.text.startsWith('☀️早报 10月10日 周六：柳湾社区在办 2 件'));
    expect(lwDigests).toHaveLength(1);
  });

  it('fails a job with a payload it does not know at once, without retrying', async () => {
    const r = await runJob({ kind: 'weekly' }, 'digest-test-bad');
    expect(r.state).toBe('failed');
    expect(r.value).toMatch(/unknown payload/);
    expect(r.attempts).toBe(1);
  });
});

describe('the digest and report schedulers', () => {
  it('are set in Redis at start-up: every morning at DIGEST_TIME and on the 1st at 01:30, Shanghai time', async () => {
    const queue = app.daiban.digests.jobs.queue;
    let morning = await queue.getJobScheduler(MORNING_SCHEDULER);
    for (let i = 0; i < 80 && !morning; i++) {
      await new Promise((r) => setTimeout(r, 25));
      morning = await queue.getJobScheduler(MORNING_SCHEDULER);
    }
    expect(morning).toMatchObject({ pattern: '30 8 * * *', tz: 'Asia/Shanghai', template: { data: { kind: 'morning' } } });
    expect(await queue.getJobScheduler(MONTHLY_SCHEDULER)).toMatchObject({
      pattern: '30 1 1 * *',
      tz: 'Asia/Shanghai',
      template: { data: { kind: 'monthly' } },
    });
    // The next morning run is a job whose id carries no ':' of ours and is not all digits.
    expect(MORNING_SCHEDULER).not.toMatch(/:|^\d+$/);
  });

  it('reads DIGEST_TIME as a time of day', () => {
    const r = loadConfig({ ADMIN_TOKEN: 'a-long-enough-admin-token', DIGEST_TIME: '07:45' });
    expect(r.ok && r.config.digestMinute).toBe(465);
    expect(morningPattern(465)).toBe('45 7 * * *');
    expect(loadConfig({ ADMIN_TOKEN: 'a-long-enough-admin-token' }).ok && morningPattern(510)).toBe('30 8 * * *');
    const bad = loadConfig({ ADMIN_TOKEN: 'a-long-enough-admin-token', DIGEST_TIME: '25:00' });
    expect(bad.ok ? [] : bad.problems).toEqual([expect.stringMatching(/^DIGEST_TIME: /)]);
  });
});
