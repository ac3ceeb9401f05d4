import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schemas from '../../../src/http/routes/mini-program-schemas.ts';
import { startMiniProgram, type MiniProgramHarness } from '../../support/mini-program.ts';

let mp: MiniProgramHarness;
beforeAll(async () => {
  mp = await startMiniProgram();
});
afterAll(async () => {
  await mp.close();
});

describe('POST /api/mp/login', () => {
  it('exchanges the code through jscode2session for our own token; the session_key never leaves the server', async () => {
    const r = await mp.call('POST', '/api/mp/login', null, { code: mp.wechat.issueCode('o-openid-login-1', 'u-union-1') });
    expect(r.statusCode).toBe(200);
    const body = r.json<{ token: string; expiresAt: string; registered: boolean; person: unknown }>();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(body.expiresAt) - mp.app.clock.now).toBe(7 * 86_400_000);
    expect(body).toMatchObject({ registered: false, person: null });
    schemas.loginAnswer.parse(body);
    expect(mp.wechat.calls.at(-1)).toMatchObject({ appid: 'wxa1b2c3d4e5f60718', grant_type: 'authorization_code' });
    const key = mp.wechat.sessionKeys.at(-1) ?? 'none';
    expect(r.body).not.toContain(key);
    expect(r.body).not.toMatch(/session_?key/i);
    // Stored server-side, and only the token's hash.
    const row = mp.app.daiban.database.sqlite
      .prepare('SELECT token_hash, session_key, open_id, union_id FROM mini_program_sessions ORDER BY created_at DESC LIMIT 1')
      .get() as Record<string, string>;
    expect(row).toMatchObject({ session_key: key, open_id: 'o-openid-login-1', union_id: 'u-union-1' });
    expect(row.token_hash).not.toBe(body.token);
    expect(JSON.stringify(mp.app.daiban.database.sqlite.prepare('SELECT * FROM mini_program_sessions').all())).not.toContain(body.token);

    const me = await mp.call('GET', '/api/mp/me', body.token);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ registered: false, person: null, verifiedPhone: null });
    expect(me.body).not.toContain(key);
  });

  it('answers 400 for an invalid code and for a code used twice, naming the cause', async () => {
    const bad = await mp.call('POST', '/api/mp/login', null, { code: 'never-issued' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_login_code', details: { wechatErrcode: 40029 } });
    const code = mp.wechat.issueCode('o-openid-login-2');
    expect((await mp.call('POST', '/api/mp/login', null, { code })).statusCode).toBe(200);
    const again = await mp.call('POST', '/api/mp/login', null, { code });
    expect(again.statusCode).toBe(400);
    expect(again.json<{ message: string }>().message).toMatch(/already used/);
  });

  it('answers 503 (retryable) when WeChat is busy or rate-limits, and 400 for a missing code', async () => {
    for (const errcode of [-1, 45011]) {
      mp.wechat.failNext(errcode);
      const r = await mp.call('POST', '/api/mp/login', null, { code: mp.wechat.issueCode('o-openid-login-3') });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({ error: 'wechat_busy' });
      expect(r.headers['retry-after']).toBe('2');
    }
    const missing = await mp.call('POST', '/api/mp/login', null, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ message: string }>().message).toMatch(/^code:/);
    expect((await mp.call('POST', '/api/mp/login', null, { code: 'x', extra: 1 })).statusCode).toBe(400);
  });

  it('refuses a missing, unknown, expired or logged-out token with 401', async () => {
    expect((await mp.call('GET', '/api/mp/me', null)).statusCode).toBe(401);
    expect((await mp.call('GET', '/api/mp/me', 'A'.repeat(43))).json()).toMatchObject({ error: 'session_required' });
    const token = await mp.login('o-openid-login-4');
    expect((await mp.call('GET', '/api/mp/me', token)).statusCode).toBe(200);
    mp.app.clock.now += 7 * 86_400_000 + 1;
    expect((await mp.call('GET', '/api/mp/me', token)).statusCode).toBe(401);
    const fresh = await mp.login('o-openid-login-4');
    expect((await mp.call('DELETE', '/api/mp/session', fresh)).statusCode).toBe(204);
    expect((await mp.call('GET', '/api/mp/me', fresh)).statusCode).toBe(401);
  });
});

describe('without WECHAT_MP_APPID', () => {
  it('has no mini-program routes', async () => {
    const { startTestApp } = await import('../../support/test-app.ts');
    const plain = await startTestApp({ roster: false });
    try {
      expect((await plain.daiban.server.inject({ method: 'POST', url: '/api/mp/login', payload: { code: 'x' } })).statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
