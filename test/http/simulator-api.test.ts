import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const post = (payload: unknown, headers: Record<string, string> = auth) =>
  app.daiban.server.inject({ method: 'POST', url: '/api/simulator/messages', headers, payload: payload as object });

describe('POST /api/simulator/messages', () => {
  it('answers with the replies produced for that message, in the contract shape', async () => {
    const r = await post({ from: 'liu-fang', room: null, text: '你好' });
    expect(r.statusCode).toBe(200);
    const body = r.json<{ replies: { to: string | null; room: string | null; text: string }[] }>();
    expect(body.replies).toHaveLength(1);
    expect(body.replies[0]).toMatchObject({ to: 'liu-fang', room: null });
    expect(body.replies[0]?.text).toContain('刘芳');
  });

  it('requires the admin bearer token', async () => {
    expect((await post({ from: 'x', room: null, text: '你好' }, {})).statusCode).toBe(401);
    const wrong = await post({ from: 'x', room: null, text: '你好' }, { authorization: 'Bearer wrong-token' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: 'unauthorized' });
  });

  it.each([
    ['a missing text', { from: 'liu-fang', room: null }],
    ['a missing sender', { room: null, text: '你好' }],
    ['text that is not a string', { from: 'liu-fang', room: null, text: 42 }],
    ['10,001 characters', { from: 'liu-fang', room: null, text: '字'.repeat(10_001) }],
  ])('refuses %s with a 400 that says what is wrong', async (_what, payload) => {
    const r = await post(payload);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: 'invalid_request' });
    expect(r.json<{ message: string }>().message.length).toBeGreaterThan(5);
  });

  it('refuses malformed JSON, a wrong content type and a body over 64 KB with clear 4xx', async () => {
    const bad = await app.daiban.server.inject({
      method: 'POST',
      url: '/api/simulator/messages',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"from": "x", "text": ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_request' });
    const xml = await app.daiban.server.inject({
      method: 'POST',
      url: '/api/simulator/messages',
      headers: { ...auth, 'content-type': 'application/xml' },
      payload: '<xml/>',
    });
    expect(xml.statusCode).toBe(415);
    const huge = await app.daiban.server.inject({
      method: 'POST',
      url: '/api/simulator/messages',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ from: 'x', room: null, text: 'a'.repeat(70_000) }),
    });
    expect(huge.statusCode).toBe(413);
  });

  it('answers 10,000 characters with a plain request to write less', async () => {
    const r = await post({ from: 'liu-fang', room: null, text: '字'.repeat(10_000) });
    expect(r.statusCode).toBe(200);
    expect(r.json<{ replies: { text: string }[] }>().replies[0]?.text).toContain('太长');
  });

  it('refuses an unknown room with a 404 and stays quiet in a known room unless mentioned', async () => {
    const unknown = await post({ from: 'agent-li', room: 'nowhere@chatroom', text: '@代办助手 你好' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'unknown_room' });
    const quiet = await post({ from: 'agent-li', room: 'sq-agents@chatroom', text: '今天下雨' });
    expect(quiet.json()).toEqual({ replies: [] });
    const mentioned = await post({ from: 'agent-li', room: 'sq-agents@chatroom', text: '在吗', mention: true });
    expect(mentioned.json<{ replies: { room: string }[] }>().replies[0]?.room).toBe('sq-agents@chatroom');
  });

  it('handles a re-delivered message id once and repeats the first answer', async () => {
    const first = await post({ from: 'zhang-xiuhua', room: null, text: '申请代办', id: 'm-1' });
    const again = await post({ from: 'zhang-xiuhua', room: null, text: '申请代办', id: 'm-1' });
    expect(again.json()).toEqual(first.json());
    // The conversation moved once: the next answer is read against the request's first question.
    const next = await post({ from: 'zhang-xiuhua', room: null, text: '低保' });
    expect(next.json<{ replies: { text: string }[] }>().replies[0]?.text).toContain('【最低生活保障】');
  });

  it('handles messages of one conversation strictly in order, even when sent at once', async () => {
    const texts = ['申请代办', '宅基地', '1', '1', '同意'];
    const results = await Promise.all(texts.map((text) => post({ from: 'wang-xiaojun', room: null, text })));
    const replies = results.map((r) => r.json<{ replies: { text: string }[] }>().replies[0]?.text ?? '');
    expect(replies[1]).toContain('【农村宅基地和建房申请】');
    expect(replies[2]).toContain('给谁办');
    expect(replies[3]).toContain('【代办委托】');
    expect(replies[4]).toContain('一次性告知');
  });
});

describe('GET /api/simulator/outbox', () => {
  it('lists what the bot sent to an identity, including later notifications, and pages with after', async () => {
    await app.say('agent-sun', '你好');
    const all = await app.outbox({ to: 'agent-sun' });
    expect(all.length).toBeGreaterThan(0);
    const last = all[all.length - 1];
    expect(last).toMatchObject({ to: 'agent-sun', room: null });
    expect(typeof last?.id).toBe('number');
    expect(Number.isNaN(Date.parse(last?.at ?? ''))).toBe(false);
    expect(await app.outbox({ to: 'agent-sun', after: last?.id ?? 0 })).toEqual([]);
  });

  it('needs exactly one of to and room', async () => {
    for (const url of ['/api/simulator/outbox', '/api/simulator/outbox?to=a&room=b', '/api/simulator/outbox?to=a&after=-1']) {
      const r = await app.daiban.server.inject({ method: 'GET', url, headers: auth });
      expect(r.statusCode, url).toBe(400);
    }
  });
});
