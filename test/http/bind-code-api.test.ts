import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
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

const post = (payload: unknown, headers: Record<string, string> = auth) =>
  app.daiban.server.inject({ method: 'POST', url: '/api/admin/bind-codes', headers, payload: payload as object });

describe('bind codes through the admin API', () => {
  it('issues a code for a roster person, an agents room and a centre room', async () => {
    const person = await post({ person: 'zhang' });
    expect(person.statusCode).toBe(200);
    expect(person.json()).toMatchObject({
      code: expect.stringMatching(/^[A-Z2-9]{6}$/) as unknown,
      label: '张秀花',
      expiresAt: new Date(START + 72 * 3_600_000).toISOString(),
    });
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

  it('issues codes from the command line too, and explains a wrong call', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bind-code.ts', ...args], {
        encoding: 'utf8',
        env: { ...process.env, SQLITE_PATH: join(app.dir, 'daiban.db') },
      });
    const ok = cli('--agents-room', 'qs-bh', '--hours', '5');
    expect(ok.status).toBe(0);
    const code = /: ([A-Z2-9]{6}) \(/.exec(ok.stdout)?.[1];
    expect(ok.stdout).toContain('白鹤村代办员群');
    expect(app.daiban.database.sqlite.prepare<[string], { target: string }>('SELECT target FROM wechaty_bind_codes WHERE code = ?').get(code ?? '')).toEqual({
      target: 'village_agents',
    });
    const neither = cli();
    expect(neither.status).toBe(2);
    expect(neither.stderr).toContain('give exactly one of --person, --agents-room, --centre-room');
    const unknown = cli('--person', 'nobody');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no person nobody');
  }, 30_000);
});
