import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fedBackErrand } from '../support/intake.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** After feedback: an unrated errand is invited once more, then archived when the window ends. */

let app: TestApp;
const DAY = 24 * 3_600_000;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('ratings nobody gives', () => {
  it('are asked for once more after the reminder days, then the errand is archived at the end of the window', async () => {
    const receipt = await fedBackErrand(app);
    await app.settle();
    expect(await app.daiban.housekeeping()).toEqual({ reminded: 0, archived: 0 });

    app.clock.now += 3 * DAY; // Fri 12-04: two working days after Tue 12-01
    expect(await app.daiban.housekeeping()).toEqual({ reminded: 1, archived: 0 });
    expect(await app.daiban.housekeeping()).toEqual({ reminded: 0, archived: 0 });
    await app.settle();
    const messages = await app.outbox({ to: 'liu-fang' });
    expect(messages[messages.length - 1]?.text).toContain(`请为您的代办【${receipt}`);

    app.clock.now += 7 * DAY; // past the 5-working-day rating window
    expect(await app.daiban.housekeeping()).toEqual({ reminded: 0, archived: 1 });
    const status = app.daiban.database.sqlite.prepare('SELECT status FROM errands WHERE receipt_no = ?').get(receipt);
    expect(status).toEqual({ status: 'closed' });
    const archive = app.daiban.database.sqlite.prepare("SELECT actor_role AS actor, reason FROM errand_events WHERE type = 'archive'").get();
    expect(archive).toEqual({ actor: 'system', reason: '评价期限已过，自动归档' });
  });
});
