import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestApp, START, type TestApp } from '../support/test-app.ts';

/** POST /api/admin/bind-codes: one-time codes for the personal-WeChat channel. */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const post = (payload: unknown, headers: Record<string, string> = auth) => app.daiban.server.inject({ method: 'POST', url: '/api/admin/bind-codes', headers, payload: payload as object });

describe('bind codes through the admin API', () => {
  it('issues a code for a roster person, an agents room and a centre room', async () => {
    const person = await post({ person: 'zhang' });
    expect(person.statusCode).toBe(200);
    expect(person.json()).toMatchObject({ code: expect.stringMatching(/^[A-Z2-9]{6}$/) as unknown, label: '张秀花', expiresAt: new Date(START + 72 * 3_600_000).toISOString() });
    const agents = await post({ room: { kind: 'village_agents', village: 'qs-sq' }, hours: 2 });
    expect(agents.json()).toMatchObject({ label: '石桥村代办员群', expiresAt: new Date(START + 2 * 3_600_000).toISOString() });
    const centre = await post({ room: { kind: 'centre', township: 'qs' } });
    expect(centre.json()).toMatchObject({ label: '青山镇便民服务中心群', target: { kind: 'centre', townshipCode: 'qs' } });
    expect(new Set([person, agents, centre].map((r) => r.json<{ code: string }>().code)).size).toBe(3);
  });

  it('refuses bad requests with a message saying what is wrong, and callers without the token', async () => {
    expect((await post({ person: 'zhang' }, {})).statusCode).toBe(401);
    const neither = await post({});
    expect(neither.statusCode).toBe(422);
    expect(neither.json<{ message: string }>().message).toContain('either person');
    const both = await post({ person: 'zhang', room: { kind: 'centre', township: 'qs' } });
    expect(both.statusCode).toBe(422);
    const badRoom = await post({ room: { kind: 'village', village: 'qs-sq' } });
    expect(badRoom.statusCode).toBe(422);
    expect(badRoom.json<{ message: string }>().message).toContain('village_agents');
    const unknown = await post({ person: 'nobody' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json<{ message: string }>().message).toContain('no person nobody');
    const unknownVillage = await post({ room: { kind: 'village_agents', village: 'xx' } });
    expect(unknownVillage.json<{ message: string }>().message).toContain('no village xx');
    expect((await post({ person: 'zhang', hours: 0 })).statusCode).toBe(422);
  });
});
