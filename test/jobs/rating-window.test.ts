import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertJobData } from '../../src/app/deadline-alerts.ts';
import { jobResult } from '../support/job-result.ts';
import { fedBackErrand } from '../support/intake.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The rating window is a clock like the others, with jobs of its own: a resident who has not rated
 * is invited once more RATING_REMINDER_DAYS working days after feedback, at opening time, and the
 * errand is archived when the window ends. (BullMQ's delays are real, the test clock is not: due
 * jobs are promoted by hand after the clock has moved on.)
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

async function ratingJob(errandId: number, step: string): Promise<Job<AlertJobData>> {
  for (let i = 0; i < 200; i++) {
    const job = (await app.daiban.alerts.scheduler.queue.getJobs(['delayed', 'waiting'])).find((j) => j.data.errandId === errandId && j.data.step === step);
    if (job) return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  const all = await app.daiban.alerts.scheduler.queue.getJobs(['delayed', 'waiting', 'active', 'completed', 'failed', 'prioritized']);
  throw new Error(`no ${step} job for errand ${errandId}: ${JSON.stringify(await Promise.all(all.map(async (j) => `${j.id ?? '?'}:${await j.getState()}`)))}`);
}

const finished = (job: Job<AlertJobData>) => jobResult(app.daiban.alerts.scheduler.queue, job);

describe('the rating window', () => {
  it('invites a resident who has not rated once more, then archives the errand when the window ends', async () => {
    const receipt = await fedBackErrand(app);
    const errand = app.daiban.database.sqlite.prepare('SELECT id, version FROM errands WHERE receipt_no = ?').get(receipt) as { id: number; version: number };

    // Feedback on Tue 12-01: two working days on is Thu 12-03, at opening time.
    const invite = await ratingJob(errand.id, 'i1');
    expect(invite.data.at).toBe(Date.parse('2026-12-03T08:30:00+08:00'));
    expect(invite.id).toBe(`alert-e${errand.id}-v${errand.version}-d${invite.data.deadlineId}-i1`);
    const before = (await app.outbox({ to: 'liu-fang' })).length;
    // Promoted too early (the clock has not reached it), it waits for its time and sends nothing.
    app.clock.now = Date.parse('2026-12-03T08:00:00+08:00');
    await invite.promote();
    const queue = app.daiban.alerts.scheduler.queue;
    let looked: Job<AlertJobData> | undefined;
    for (let i = 0; i < 200 && !(looked?.processedOn && (await looked.isDelayed())); i++) {
      await new Promise((r) => setTimeout(r, 25));
      looked = await queue.getJob(invite.id ?? '');
    }
    expect(await queue.getJobState(invite.id ?? '')).toBe('delayed');
    expect((await app.outbox({ to: 'liu-fang' })).length).toBe(before);

    app.clock.now = Date.parse('2026-12-03T09:00:00+08:00');
    await invite.promote();
    expect(await finished(invite)).toBe('sent');
    const messages = (await app.waitForOutbox({ to: 'liu-fang' }, before + 1)).slice(before);
    expect(messages.at(-1)?.text).toContain(`请为您的代办【${receipt}`);

    // The archive step follows; at the end of the 5-working-day window (Tue 12-08) the errand closes.
    const archive = await ratingJob(errand.id, 'a');
    app.clock.now = Date.parse('2026-12-09T00:30:00+08:00');
    await archive.promote();
    expect(await finished(archive)).toBe('sent');
    expect(app.daiban.database.sqlite.prepare('SELECT status FROM errands WHERE id = ?').get(errand.id)).toEqual({ status: 'closed' });
    const event = app.daiban.database.sqlite
      .prepare("SELECT actor_role AS actor, reason FROM errand_events WHERE errand_id = ? AND type = 'archive'")
      .get(errand.id);
    expect(event).toEqual({ actor: 'system', reason: '评价期限已过，自动归档' });
    // Nothing more is scheduled for it (jobs of older versions only wait to find themselves stale),
    // and the resident was asked twice in all: with the feedback, and once more.
    await app.settle();
    const pending = (await queue.getJobs(['delayed', 'waiting'])).filter((j) => j.data.errandId === errand.id);
    expect(pending.filter((j) => j.data.version >= errand.version)).toEqual([]);
    expect((await app.outbox({ to: 'liu-fang' })).filter((m) => m.text.includes(`请为您的代办【${receipt}`))).toHaveLength(2);
  });
});
