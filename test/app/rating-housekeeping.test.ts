import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileErrandByChat, homesteadAnswers } from '../support/intake.ts';
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

const lw = 'lw-agents@chatroom';
const centre = 'qs-centre@chatroom';

async function fedBack(): Promise<string> {
  const receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
  for (const [from, text, room] of [
    ['agent-sun', `接单 ${receipt}`, lw],
    ['agent-sun', `收件 ${receipt}`, lw],
    ['agent-sun', `递交 ${receipt}`, lw],
    ['centre-chen', `受理 ${receipt} 3个工作日`, centre],
    ['centre-chen', `办结 ${receipt} 已批准`, centre],
    ['agent-sun', `反馈 ${receipt}`, null],
  ] as const) {
    const [reply] = await app.say(from, text, room);
    expect(reply, text).not.toContain('不能');
  }
  return receipt;
}

describe('ratings nobody gives', () => {
  it('are asked for once more after the reminder days, then the errand is archived at the end of the window', async () => {
    const receipt = await fedBack();
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
