import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOutbox, outboxById } from '../../src/db/outbox-repository.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const insert = (channel: string, text: string, dedupeKey: string | null = null) =>
  app.daiban.database.write(() =>
    insertOutbox(app.daiban.database, [{ channel, recipient: 'agent-li', room: null, text, kind: 'notification', dedupeKey }], app.clock.now),
  );

describe('outbox delivery through BullMQ', () => {
  it('delivers a notification that was never enqueued, found by the sweeper', async () => {
    const [id] = insert('simulator', '没有排队的通知');
    expect(outboxById(app.daiban.database, id ?? 0)?.status).toBe('pending');
    await app.daiban.sweep();
    const messages = await app.waitForOutbox({ to: 'agent-li' }, 1);
    expect(messages.map((m) => m.text)).toContain('没有排队的通知');
    expect(outboxById(app.daiban.database, id ?? 0)?.status).toBe('sent');
  });

  it('sends a message once even when it is enqueued and swept several times', async () => {
    const [id] = insert('simulator', '只发一次');
    await Promise.all([app.daiban.sweep(), app.daiban.sweep(), app.daiban.sweep()]);
    await app.waitForOutbox({ to: 'agent-li' }, 2);
    await new Promise((r) => setTimeout(r, 300));
    const texts = (await app.outbox({ to: 'agent-li' })).map((m) => m.text).filter((t) => t === '只发一次');
    expect(texts).toHaveLength(1);
    expect(outboxById(app.daiban.database, id ?? 0)?.status).toBe('sent');
  });

  it('keeps one row for one de-duplication key', () => {
    const first = insert('simulator', '同一件事', 'same-key');
    const second = insert('simulator', '同一件事', 'same-key');
    expect(first).toHaveLength(1);
    expect(second).toEqual([]);
  });

  it('parks a message for a channel this deployment does not have as dead, with the reason', async () => {
    const [id] = insert('wechaty', '发不出去');
    await app.daiban.sweep();
    for (let i = 0; i < 100 && outboxById(app.daiban.database, id ?? 0)?.status === 'pending'; i++) await new Promise((r) => setTimeout(r, 50));
    const row = outboxById(app.daiban.database, id ?? 0);
    expect(row?.status).toBe('dead');
    expect(row?.lastError).toContain('wechaty');
  });
});
