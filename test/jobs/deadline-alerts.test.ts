import { readFileSync } from 'node:fs';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertJobData } from '../../src/app/deadline-alerts.ts';
import { jobResult } from '../support/job-result.ts';
import { fileErrandByChat, homesteadAnswers } from '../support/intake.ts';
import { auth, startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Deadline alerts through BullMQ with a real Redis: filing an errand schedules its claim clock's
 * jobs; a due job sends the reminder to the village's agent room (masked); a job scheduled before
 * the errand moved on does nothing. (The test clock is fake, BullMQ's delays are real: due jobs
 * are promoted by hand after the clock is moved on.)
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const HOUR = 3_600_000;
const room = 'lw-agents@chatroom';

const finished = (job: Job<AlertJobData>) => jobResult(app.daiban.alerts.scheduler.queue, job);

async function jobsOf(receipt: string) {
  const row = app.daiban.database.sqlite.prepare('SELECT id, version FROM errands WHERE receipt_no = ?').get(receipt) as { id: number; version: number };
  const jobs = await app.daiban.alerts.scheduler.queue.getJobs(['delayed', 'waiting']);
  return { row, jobs: jobs.filter((j) => j.data.errandId === row.id) };
}

/** Scheduling follows a commit (or a fired step) asynchronously: waits for the errand's pending jobs to match. */
async function waitForJobs(receipt: string, ready: (jobs: Job<AlertJobData>[], version: number) => boolean) {
  let found = await jobsOf(receipt);
  for (let i = 0; i < 80 && !ready(found.jobs, found.row.version); i++) {
    await new Promise((r) => setTimeout(r, 25));
    found = await jobsOf(receipt);
  }
  return found;
}

describe('deadline alerts', () => {
  it('schedules the claim clock on filing, reminds the agent room when due, and ignores a job the errand has outgrown', async () => {
    const receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
    // Claim due Wed 12-02 (filed Tue 09:00): one job per clock, for its next step — the reminder that morning.
    const { row, jobs } = await waitForJobs(receipt, (j) => j.length > 0);
    expect(jobs.map((j) => (j.id ?? '').replace(/-d\d+-/, '-d#-'))).toEqual([`alert-e${row.id}-v${row.version}-d#-r0`]);
    for (const j of jobs) expect(j.id).not.toMatch(/:|^\d+$/);

    // Wednesday 09:00: the reminder is due.
    app.clock.now += 24 * HOUR;
    const r0 = jobs[0]!;
    await r0.promote();
    expect(await finished(r0)).toBe('sent');
    const toRoom = await app.waitForOutbox({ room }, 1);
    expect(toRoom.at(-1)?.text).toBe(`⏰【提醒】${receipt} 农村宅基地和建房申请（柳湾社区 刘*）：接单期限是12月2日 周三，请抓紧办。`);

    // Sent once, recorded; the clock's next step (the escalation at the breach) takes its place.
    expect(app.daiban.database.sqlite.prepare('SELECT count(*) AS n FROM deadline_alerts WHERE errand_id = ?').get(row.id)).toEqual({ n: 1 });
    const next = await waitForJobs(receipt, (j) => j.some((x) => x.data.step === 'e1'));
    const e1 = next.jobs.find((j) => j.data.step === 'e1')!;
    expect(e1.data.version).toBe(row.version);

    // The agent claims it: the escalation job finds a newer version and does nothing.
    await app.say('agent-sun', `接单 ${receipt}`, room);
    const before = (await app.outbox({ room })).length;
    app.clock.now += 24 * HOUR;
    await e1.promote();
    expect(await finished(e1)).toBe('stale');
    await app.settle();
    expect((await app.outbox({ room })).length).toBe(before);

    // Acceptance starts the delivery clock: its first step is scheduled under the newest version.
    await app.say('agent-sun', `收件 ${receipt}`, room);
    const after = await waitForJobs(receipt, (j, version) => j.some((x) => x.data.version === version && x.data.step === 'r1'));
    expect(after.jobs.some((j) => j.data.version === after.row.version && j.data.step === 'r1')).toBe(true);
  });

  it('passes an alert up the chain when nobody fills its level: no agents’ room → the centre room', async () => {
    const bare = await startTestApp({ roster: false });
    try {
      const roster = JSON.parse(readFileSync('data/demo-roster.json', 'utf8')) as { rooms: { id: string }[] };
      roster.rooms = roster.rooms.filter((r) => r.id !== room);
      const loaded = await bare.daiban.server.inject({ method: 'PUT', url: '/api/admin/roster', headers: auth, payload: roster });
      expect(loaded.statusCode).toBe(200);
      const receipt = await fileErrandByChat(bare, 'liu-fang', '宅基地建房', homesteadAnswers);
      const row = bare.daiban.database.sqlite.prepare('SELECT id FROM errands WHERE receipt_no = ?').get(receipt) as { id: number };
      let job: Job<AlertJobData> | undefined;
      for (let i = 0; i < 80 && !job; i++) {
        job = (await bare.daiban.alerts.scheduler.queue.getJobs(['delayed'])).find((j) => j.data.errandId === row.id);
        if (!job) await new Promise((r) => setTimeout(r, 25));
      }
      expect(job?.data.step).toBe('r0');
      bare.clock.now += 24 * HOUR;
      await job!.promote();
      let state = '';
      for (let i = 0; i < 200 && state !== 'completed'; i++) {
        state = await job!.getState();
        if (state !== 'completed') await new Promise((r) => setTimeout(r, 25));
      }
      const centre = await bare.waitForOutbox({ room: 'qs-centre@chatroom' }, 1);
      expect(centre.at(-1)?.text).toBe(`⏰【提醒】${receipt} 农村宅基地和建房申请（柳湾社区 刘*）：接单期限是12月2日 周三，请抓紧办。`);
    } finally {
      await bare.close();
    }
  });

  it('pauses a clock’s alerts while the errand is suspended and schedules them anew, recomputed, on resumption', async () => {
    const receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
    await app.say('agent-sun', `接单 ${receipt}`, room);
    await app.say('agent-sun', `收件 ${receipt}`, room);
    const running = await waitForJobs(receipt, (j, version) => j.some((x) => x.data.version === version));
    const delivery = running.jobs.find((j) => j.data.version === running.row.version)!;
    expect(delivery.data.step).toBe('r1');

    // Suspended: the clock is paused, nothing new is scheduled, and the old job finds itself stale.
    const [paused] = await app.say('agent-sun', `暂缓 ${receipt} 等村委会盖章`, room);
    expect(paused).not.toMatch(/不能|格式不对/);
    await app.settle();
    const during = await jobsOf(receipt);
    expect(during.jobs.filter((j) => j.data.version === during.row.version)).toEqual([]);
    await delivery.promote();
    expect(await finished(delivery)).toBe('stale');

    // Three days later it resumes: the clock's new due time gets a job under the newest version.
    app.clock.now += 3 * 24 * HOUR;
    await app.say('agent-sun', `续办 ${receipt}`, room);
    const resumed = await waitForJobs(receipt, (j, version) => j.some((x) => x.data.version === version));
    const next = resumed.jobs.find((j) => j.data.version === resumed.row.version)!;
    expect(next.data.deadlineId).toBe(delivery.data.deadlineId);
    expect(next.data.dueAt).toBeGreaterThan(delivery.data.dueAt);
  });

  it('fails a job whose payload it does not understand at once, without retrying it', async () => {
    const queue = app.daiban.alerts.scheduler.queue;
    await queue.add('alert', { errandId: 'one', step: 3 } as unknown as AlertJobData, { jobId: 'alert-old-payload', attempts: 5 });
    let state = '';
    for (let i = 0; i < 200 && state !== 'failed'; i++) {
      state = await queue.getJobState('alert-old-payload');
      if (state !== 'failed') await new Promise((r) => setTimeout(r, 25));
    }
    const job = await queue.getJob('alert-old-payload');
    expect(state).toBe('failed');
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toContain('unknown payload');
  });
});
