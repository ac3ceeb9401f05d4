import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schemas from '../../../src/http/routes/mini-program-schemas.ts';
import { fileErrandByChat, homesteadAnswers } from '../../support/intake.ts';
import { MP_APPID, startMiniProgram, type MiniProgramHarness } from '../../support/mini-program.ts';
import { auth } from '../../support/test-app.ts';

/**
 * POST /api/mp/phone: WeChat's verified phone number links a mini-program user to the person the
 * county already knows (registered by chat, or in the roster), or is remembered for registration.
 */

let mp: MiniProgramHarness;
beforeAll(async () => {
  mp = await startMiniProgram();
});
afterAll(async () => {
  await mp?.close();
});

let users = 0;
const newUser = () => `oMpPhone${process.pid}x${++users}`;
const verify = (token: string, code: string) => mp.call('POST', '/api/mp/phone', token, { code });
const identityOf = (openid: string) =>
  mp.app.daiban.database.sqlite
    .prepare<[string], { id: number; personId: string | null }>(
      "SELECT id, person_id AS personId FROM channel_identities WHERE channel = 'mini-program' AND external_id = ?",
    )
    .get(openid);
const remembered = (openid: string) =>
  mp.app.daiban.database.sqlite.prepare<[number], { phone: string }>('SELECT phone FROM mini_program_phones WHERE identity_id = ?').get(identityOf(openid)!.id)
    ?.phone;

describe('POST /api/mp/phone', () => {
  it('links the user to the roster person with that phone; their errands filed by chat are then theirs', async () => {
    const receipt = await fileErrandByChat(mp.app, 'liu-fang', '宅基地建房', homesteadAnswers);
    const openid = newUser();
    const token = await mp.login(openid);
    const r = await verify(token, mp.api.issuePhoneCode('13900000013'));
    expect(r.statusCode).toBe(200);
    expect(schemas.phoneAnswer.parse(r.json())).toEqual({ outcome: 'linked', registered: true, person: { maskedName: '刘*', villageName: '柳湾社区' } });
    // Asked with the mini-program's token, for the code the button gave.
    const asked = mp.api.requests.filter((q) => q.endpoint === 'phone_number');
    expect(asked.map((q) => q.body)).toEqual([{ code: expect.any(String) as string }]);
    expect(mp.api.requests.find((q) => q.endpoint === 'stable_token')?.body.appid).toBe(MP_APPID);
    expect(identityOf(openid)?.personId).toBe('liu');
    expect((await mp.call('GET', '/api/mp/me', token)).json()).toMatchObject({ registered: true, person: { id: 'liu', name: '刘芳' } });
    const errands = (await mp.call('GET', '/api/mp/errands', token)).json<{ errands: { receiptNo: string }[] }>().errands;
    expect(errands.map((e) => e.receiptNo)).toContain(receipt);
    // Linked: a second verification is not needed (nor a registration).
    expect((await verify(token, mp.api.issuePhoneCode('13900000013'))).statusCode).toBe(409);
    expect((await mp.call('POST', '/api/mp/registration', token, { name: '刘芳', villageCode: 'qs-lw' })).statusCode).toBe(409);
  });

  it('remembers a phone nobody has, and registration uses it without asking', async () => {
    const openid = newUser();
    const token = await mp.login(openid);
    const r = await verify(token, mp.api.issuePhoneCode('13700008888'));
    expect(r.statusCode).toBe(200);
    expect(schemas.phoneAnswer.parse(r.json())).toEqual({ outcome: 'remembered', registered: false, maskedPhone: '137****8888' });
    expect(identityOf(openid)?.personId).toBeNull();
    expect(schemas.meAnswer.parse((await mp.call('GET', '/api/mp/me', token)).json())).toEqual({
      registered: false,
      person: null,
      verifiedPhone: '137****8888',
    });
    const registered = await mp.call('POST', '/api/mp/registration', token, { name: '何小梅', villageCode: 'qs-lw' });
    expect(registered.statusCode).toBe(201);
    expect(registered.json()).toMatchObject({ registered: true, person: { name: '何小梅', phone: '13700008888' }, verifiedPhone: null });
    expect(remembered(openid)).toBeUndefined();
  });

  it('refuses clearly when two people the county knows have the phone, and links nobody', async () => {
    // Two people in the roster with the same number (a shared family phone).
    const roster = JSON.parse(readFileSync('data/demo-roster.json', 'utf8')) as { people: object[] };
    roster.people.push(
      { id: 'zhao-1', name: '赵一', phone: '13700006666', village: 'qs-sq' },
      { id: 'zhao-2', name: '赵二', phone: '137-0000-6666', village: 'qs-sq' },
    );
    expect((await mp.app.daiban.server.inject({ method: 'PUT', url: '/api/admin/roster', headers: auth, payload: roster })).statusCode).toBe(200);
    const openid = newUser();
    const token = await mp.login(openid);
    const r = await verify(token, mp.api.issuePhoneCode('13700006666'));
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ error: 'phone_shared', message: expect.stringMatching(/Several people .* ask your village agent/) as string });
    expect(identityOf(openid)?.personId).toBeNull();
    expect(remembered(openid)).toBeUndefined();
  });

  it('refuses an answer whose watermark names another app, and uses nothing of it', async () => {
    const openid = newUser();
    const token = await mp.login(openid);
    const r = await verify(token, mp.api.issuePhoneCode('13900000013', { appid: 'wx0000000000000000' }));
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ error: 'phone_unverified' });
    expect(identityOf(openid)?.personId).toBeNull();
    expect(remembered(openid)).toBeUndefined();
  });

  it('answers 400 for a bad or used code, 503 with Retry-After when WeChat is busy, 403 for a number outside the mainland', async () => {
    const token = await mp.login(newUser());
    const unknown = await verify(token, 'not-a-code-wechat-gave');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: 'invalid_phone_code', details: { wechatErrcode: 40029 } });
    const code = mp.api.issuePhoneCode('13700007777');
    expect((await verify(token, code)).statusCode).toBe(200);
    expect((await verify(token, code)).statusCode).toBe(400);
    expect((await mp.call('POST', '/api/mp/phone', token, { code: '' })).statusCode).toBe(400);
    expect((await mp.call('POST', '/api/mp/phone', token, {})).statusCode).toBe(400);
    mp.api.failNext(-1, 1, 'phone_number');
    const busy = await verify(token, mp.api.issuePhoneCode('13700007777'));
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('2');
    const abroad = await verify(token, mp.api.issuePhoneCode('2025550123', { countryCode: '1' }));
    expect(abroad.statusCode).toBe(403);
    expect((await mp.call('POST', '/api/mp/phone', null, { code: 'x' })).statusCode).toBe(401);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await mp.app.daiban.server.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<
        string,
        Record<string, { responses: Record<string, unknown>; requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>
      >;
    }>();
    const phone = doc.paths['/api/mp/phone']?.post;
    expect(Object.keys(phone?.responses ?? {}).sort()).toEqual(['200', '400', '403', '409', '503']);
    expect(phone?.requestBody?.content['application/json']?.schema.required).toEqual(['code']);
    expect(JSON.stringify(phone?.responses['200'])).toContain('remembered');
  });
});
