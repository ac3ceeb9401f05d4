import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/app/inbound-message.ts';
import { homesteadAnswers } from '../support/intake.ts';
import { openUseCaseApp, type UseCaseApp } from '../support/use-case-app.ts';

/**
 * The inbound handler's group commit (`submit`): messages that arrive together are handled in one
 * SQLite transaction, and still one by one in arrival order, each on its own.
 */

let app: UseCaseApp;
beforeAll(() => {
  app = openUseCaseApp();
});
afterAll(() => {
  app.close();
});

let ids = 0;
const message = (senderId: string, text: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({
  channel: 'simulator',
  senderId,
  roomId: null,
  text,
  messageId: `gc-${++ids}`,
  mentionsBot: false,
  receivedAt: app.clock.now,
  ...extra,
});
const count = (sql: string, ...params: unknown[]) => (app.database.sqlite.prepare(sql).get(...params) as { n: number }).n;

describe('messages committed together', () => {
  it('handles four deliveries of one message in one batch once, answering each the same', async () => {
    const revision = () =>
      (
        app.database.sqlite
          .prepare(
            "SELECT coalesce(max(c.revision), 0) AS n FROM conversations c JOIN channel_identities i ON i.id = c.identity_id WHERE i.channel = 'simulator' AND i.external_id = 'zhang-xiuhua'",
          )
          .get() as { n: number }
      ).n;
    const before = revision();
    const first = message('zhang-xiuhua', '宅基地建房');
    const results = await Promise.all([0, 1, 2, 3].map(() => app.inbound.submit(first)));
    expect(results.map((r) => r.duplicate)).toEqual([false, true, true, true]);
    expect(new Set(results.map((r) => r.replies.map((x) => x.text).join('|'))).size).toBe(1);
    expect(results[0]?.replies[0]?.text).toMatch(/宅基地/);
    expect(count('SELECT count(*) AS n FROM inbox WHERE message_id = ?', first.messageId)).toBe(1);
    // The conversation was saved once, not four times.
    expect(revision()).toBe(before + 1);
  });

  it("runs one resident's whole conversation, sent at once, in arrival order", async () => {
    const errandsBefore = count('SELECT count(*) AS n FROM errands');
    const texts = ['宅基地建房', ...homesteadAnswers];
    const results = await Promise.all(texts.map((text) => app.inbound.submit(message('liu-fang', text))));
    expect(
      results
        .at(-1)
        ?.replies.map((r) => r.text)
        .join('\n'),
    ).toMatch(/回执号/);
    expect(count('SELECT count(*) AS n FROM errands')).toBe(errandsBefore + 1);
    // The village's agents hear of it after the commit: the row is handed to the dispatch, then delivered;
    // the new errand's deadline alerts are asked for.
    const notice = app.written({ room: 'lw-agents@chatroom' }).at(-1);
    expect(notice?.status).toBe('pending');
    expect(app.dispatched).toContain(notice?.id);
    expect(app.alerted.flat()).toContain(count('SELECT max(id) AS n FROM errands'));
    const told = await app.waitForOutbox({ room: 'lw-agents@chatroom' }, 1);
    expect(told.at(-1)?.text).toMatch(/DB\d{9,}/);
  });

  it('refuses a message for an unknown room alone; the rest of its batch is answered', async () => {
    const [stray, fine] = await Promise.allSettled([
      app.inbound.submit(message('agent-li', '待办', { roomId: 'nowhere@chatroom', mentionsBot: true })),
      app.inbound.submit(message('wang-xiaojun', '你好')),
    ]);
    expect(stray?.status).toBe('rejected');
    expect(stray?.status === 'rejected' && (stray.reason as { code?: string }).code).toBe('unknown_room');
    expect(fine?.status).toBe('fulfilled');
    expect(fine?.status === 'fulfilled' && fine.value.replies.length).toBeGreaterThan(0);
  });
});
