import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schemas from '../../../src/http/routes/mini-program-schemas.ts';
import { fileErrandByChat, homesteadAnswers } from '../../support/intake.ts';
import { startMiniProgram, type MiniProgramHarness } from '../../support/mini-program.ts';

/** Filing through the mini-program's form leaves what filing through the chat leaves. */

let mp: MiniProgramHarness;
let token: string;
let version: string;
const HOMESTEAD = 'homestead-building-application';
const DIBAO = 'minimum-living-allowance';

beforeAll(async () => {
  mp = await startMiniProgram();
  token = await mp.resident('o-form-1', { name: '何小梅', villageCode: 'qs-lw', phone: '13700001234' });
  const preview = await mp.call('GET', `/api/mp/entrustment?itemId=${HOMESTEAD}`, token);
  version = preview.json<{ entrustment: { version: string } }>().entrustment.version;
});
afterAll(async () => {
  await mp.close();
});

const sql = <T>(query: string, ...params: unknown[]) => mp.app.daiban.database.sqlite.prepare(query).all(...params) as T[];
const count = (table: string) => sql<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]?.n ?? 0;
let keyCounter = 0;
const newKey = () => `key-${Date.now()}-${++keyCounter}`;
const file = (body: Record<string, unknown>, key = newKey(), as = token) => mp.call('POST', '/api/mp/errands', as, body, { 'idempotency-key': key });
const homestead = () => ({ itemId: HOMESTEAD, forWhom: 'self', entrustment: { confirmed: true, version } });

async function jobsOf(errandId: number) {
  for (let i = 0; i < 100; i++) {
    const jobs = await mp.app.daiban.alerts.scheduler.queue.getJobs(['delayed', 'waiting']);
    const mine = jobs.filter((j) => j.id?.startsWith(`alert-e${errandId}-`));
    if (mine.length) return mine;
    await new Promise((r) => setTimeout(r, 50));
  }
  return [];
}

describe('registration', () => {
  it('registers a resident with the chat’s rules and links the mini-program identity', async () => {
    const me = await mp.call('GET', '/api/mp/me', token);
    schemas.meAnswer.parse(me.json());
    expect(me.json()).toMatchObject({ registered: true, person: { name: '何小梅', villageCode: 'qs-lw', villageName: '柳湾社区', phone: '13700001234' } });
    const row = sql<{ channel: string; source: string }>(
      "SELECT i.channel, p.source FROM channel_identities i JOIN people p ON p.id = i.person_id WHERE i.external_id = 'o-form-1'",
    );
    expect(row).toEqual([{ channel: 'mini-program', source: 'chat' }]);
  });

  it('refuses bad fields all at once with 400 and writes nothing; a second registration is 409', async () => {
    const fresh = await mp.login('o-form-bad');
    const before = count('people');
    const r = await mp.call('POST', '/api/mp/registration', fresh, { name: '1', villageCode: 'nowhere', phone: '12345' });
    expect(r.statusCode).toBe(400);
    const message = r.json<{ message: string }>().message;
    expect(message).toMatch(/name:/);
    expect(message).toMatch(/phone:/);
    expect(message).toMatch(/villageCode: no village nowhere/);
    expect(count('people')).toBe(before);
    const again = await mp.call('POST', '/api/mp/registration', token, { name: '何小梅', villageCode: 'qs-lw', phone: null });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'already_registered' });
  });

  it('makes one person of two registrations sent at the same time', async () => {
    const twin = await mp.login('o-form-twice');
    const before = count('people');
    const form = { name: '何小梅', villageCode: 'qs-lw', phone: null };
    const answers = await Promise.all([mp.call('POST', '/api/mp/registration', twin, form), mp.call('POST', '/api/mp/registration', twin, form)]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(count('people')).toBe(before + 1);
  });

  it('needs registration before a form', async () => {
    const fresh = await mp.login('o-form-unregistered');
    const r = await file(homestead(), newKey(), fresh);
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ error: 'not_registered' });
  });
});

describe('GET /api/mp/entrustment', () => {
  it('shows the entrustment text with its version, the privacy question and the one-time notice', async () => {
    const r = await mp.call(
      'GET',
      `/api/mp/entrustment?itemId=${DIBAO}&forWhom=family&beneficiaryName=${encodeURIComponent('何大山')}&relation=${encodeURIComponent('父亲')}`,
      token,
    );
    expect(r.statusCode).toBe(200);
    const p = r.json<{ entrustment: { text: string; version: string }; privacyConsent: { required: boolean; text: string }; notice: { text: string } }>();
    expect(p.entrustment.text).toContain('委托人：何小梅');
    expect(p.entrustment.text).toContain('办事人：何大山（您的父亲）');
    expect(p.entrustment.version).toBe(version);
    schemas.previewAnswer.parse(r.json());
    expect(p.privacyConsent.required).toBe(true);
    expect(p.notice.text).toContain('【一次性告知】');
    expect((await mp.call('GET', '/api/mp/entrustment?itemId=no-such-item', token)).statusCode).toBe(400);
  });
});

describe('POST /api/mp/errands', () => {
  it('files the same errand, entrustment, notice, notifications and deadline jobs as the chat', async () => {
    const chatReceipt = await fileErrandByChat(mp.app, 'liu-fang', '宅基地建房', homesteadAnswers);
    const r = await file(homestead());
    expect(r.statusCode).toBe(201);
    const body = r.json<{
      receiptNo: string;
      status: string;
      message: string;
      notice: { text: string; items: { name: string }[] };
      entrustment: { version: string };
    }>();
    expect(body.receiptNo).toMatch(/^DB\d{9}$/);
    // The answer is what the OpenAPI document says.
    schemas.filedAnswer.parse(r.json());
    expect(body.status).toBe('requested');
    expect(body.message).toContain(`回执号：${body.receiptNo}`);
    expect(body.message).toContain('代办不收取任何费用');
    expect(body.notice.text).toContain('【一次性告知】');
    expect(body.notice.items.length).toBeGreaterThan(0);

    type Row = Record<string, unknown>;
    const errandOf = (receipt: string) => sql<Row>('SELECT * FROM errands WHERE receipt_no = ?', receipt)[0] ?? {};
    const chat = errandOf(chatReceipt);
    const form = errandOf(body.receiptNo);
    const same = ['direction', 'status', 'item_id', 'item_version', 'village_code', 'township_code', 'entrustment_status', 'beneficiary', 'collector_id'];
    for (const column of same) expect([column, form[column]]).toEqual([column, chat[column]]);
    expect(form.channel).toBe('mini-program');

    const entrustments = (id: unknown) => sql<Row>('SELECT text_version, text, privacy_consent, channel FROM entrustments WHERE errand_id = ?', id);
    const [ce] = entrustments(chat.id);
    const [fe] = entrustments(form.id);
    expect(fe?.text_version).toBe(ce?.text_version);
    expect(String(fe?.text).replace('何小梅', '刘芳')).toBe(ce?.text);
    expect(fe).toMatchObject({ privacy_consent: null, channel: 'mini-program' });

    const notices = (id: unknown) => sql<Row>('SELECT kind, version, items, catalog_item_version FROM one_time_notices WHERE errand_id = ?', id);
    expect(notices(form.id)).toEqual(notices(chat.id));
    const events = (id: unknown) => sql<Row>('SELECT type, from_status, to_status, actor_role FROM errand_events WHERE errand_id = ?', id);
    expect(events(form.id)).toEqual(events(chat.id));
    const deadlines = (id: unknown) => sql<Row>('SELECT kind, status, due_date FROM errand_deadlines WHERE errand_id = ?', id);
    expect(deadlines(form.id)).toEqual(deadlines(chat.id));

    // The village agents' room and the agent hear of both, in the same words.
    const room = await mp.app.waitForOutbox({ room: 'lw-agents@chatroom' }, 2);
    const roomText = (receipt: string) => room.find((m) => m.text.includes(receipt))?.text ?? '';
    expect(roomText(body.receiptNo).replace(body.receiptNo, 'R').replace('何*梅', 'X')).toBe(
      roomText(chatReceipt).replace(chatReceipt, 'R').replace('刘*', 'X'),
    );
    expect(roomText(body.receiptNo)).not.toContain('何小梅');
    const agent = await mp.app.waitForOutbox({ to: 'agent-sun' }, 2);
    expect(agent.some((m) => m.text.includes(body.receiptNo) && m.text.includes('13700001234'))).toBe(true);

    // And its claim deadline is scheduled, as the chat's is.
    const chatJobs = await jobsOf(Number(chat.id));
    const formJobs = await jobsOf(Number(form.id));
    expect(formJobs.length).toBeGreaterThan(0);
    expect(formJobs.map((j) => j.id?.replace(/^alert-e\d+-v\d+-d\d+-/, ''))).toEqual(chatJobs.map((j) => j.id?.replace(/^alert-e\d+-v\d+-d\d+-/, '')));
  });

  it('files once per Idempotency-Key: a retry gets the first answer; another form under the same key is refused', async () => {
    const before = count('errands');
    const key = newKey();
    const first = await file(homestead(), key);
    const retry = await file(homestead(), key);
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(count('errands')).toBe(before + 1);
    const other = await file({ ...homestead(), forWhom: 'family', beneficiary: { name: '何大山', relation: '父亲' } }, key);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ error: 'idempotency_conflict' });
    expect(count('errands')).toBe(before + 1);
    // A retry sent before the first answer came back.
    const raceKey = newKey();
    const raced = await Promise.all([file(homestead(), raceKey), file(homestead(), raceKey)]);
    expect(raced.map((r) => r.statusCode)).toEqual([201, 201]);
    expect(raced[1]?.json()).toEqual(raced[0]?.json());
    expect(count('errands')).toBe(before + 2);
    const noKey = await mp.call('POST', '/api/mp/errands', token, homestead());
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json<{ message: string }>().message).toMatch(/Idempotency-Key/);
  });

  it('records the family member and the separate privacy consent of a privacy-sensitive item', async () => {
    const r = await file({
      itemId: DIBAO,
      forWhom: 'family',
      beneficiary: { name: '何大山', relation: '父亲' },
      privacyConsent: true,
      entrustment: { confirmed: true, version },
    });
    expect(r.statusCode).toBe(201);
    const receipt = r.json<{ receiptNo: string }>().receiptNo;
    const [row] = sql<{ beneficiary: string; privacy_consent: number; text: string }>(
      'SELECT e.beneficiary, n.privacy_consent, n.text FROM errands e JOIN entrustments n ON n.errand_id = e.id WHERE e.receipt_no = ?',
      receipt,
    );
    // The fields left out mean what they meant before: an adult, visited, no contact given.
    expect(JSON.parse(row?.beneficiary ?? '{}')).toEqual({
      kind: 'family',
      name: '何大山',
      relation: '父亲',
      ageGroup: 'adult',
      phone: null,
      whereabouts: null,
    });
    expect(row?.privacy_consent).toBe(1);
    expect(row?.text).toContain('何大山本人也要同意');
  });

  it('records a newborn not yet named (the resident signs as guardian) and an adult’s phone and whereabouts', async () => {
    const preview = await mp.call('GET', `/api/mp/entrustment?itemId=birth-registration&forWhom=family&relation=${encodeURIComponent('娃儿')}`, token);
    expect(preview.statusCode).toBe(200);
    const text = preview.json<{ entrustment: { text: string } }>().entrustment.text;
    expect(text).toContain('办事人：您的孩子（还没取名）');
    expect(text).toContain('由您作为监护人签这份委托');
    expect(text).not.toMatch(/请还没/);
    const newborn = await file({
      itemId: 'birth-registration',
      forWhom: 'family',
      beneficiary: { name: '还没取名字', relation: '娃儿' },
      privacyConsent: true,
      entrustment: { confirmed: true, version },
    });
    expect(newborn.statusCode).toBe(201);
    const adult = await file({
      itemId: DIBAO,
      forWhom: 'family',
      beneficiary: { name: '何大山', relation: '老汉儿', ageGroup: 'elderly', phone: '13700005678', whereabouts: '柳湾社区2组，跟我住' },
      privacyConsent: true,
      entrustment: { confirmed: true, version },
    });
    expect(adult.statusCode).toBe(201);
    const stored = (receipt: string) =>
      JSON.parse(sql<{ beneficiary: string }>('SELECT beneficiary FROM errands WHERE receipt_no = ?', receipt)[0]?.beneficiary ?? '{}') as unknown;
    expect(stored(newborn.json<{ receiptNo: string }>().receiptNo)).toEqual({
      kind: 'family',
      name: null,
      relation: '孩子',
      ageGroup: 'newborn',
      phone: null,
      whereabouts: null,
    });
    expect(stored(adult.json<{ receiptNo: string }>().receiptNo)).toEqual({
      kind: 'family',
      name: '何大山',
      relation: '父亲',
      ageGroup: 'elderly',
      phone: '13700005678',
      whereabouts: '柳湾社区2组，跟我住',
    });
  });

  it.each([
    ['entrustment not confirmed', () => ({ ...homestead(), entrustment: { confirmed: false, version } }), /entrustment\.confirmed: the resident must confirm/],
    ['no entrustment at all', () => ({ itemId: HOMESTEAD }), /entrustment/],
    [
      'an old entrustment version',
      () => ({ ...homestead(), entrustment: { confirmed: true, version: 'aaaaaaaaaaaa' } }),
      /entrustment\.version: the entrustment text is now version/,
    ],
    ['an unknown item', () => ({ ...homestead(), itemId: 'moon-landing' }), /itemId: no catalogue item moon-landing/],
    ['a private item without consent', () => ({ ...homestead(), itemId: DIBAO }), /privacyConsent: .* separate consent/],
    ['family without a name', () => ({ ...homestead(), forWhom: 'family' }), /beneficiary: give the family member/],
    ['a bad relation', () => ({ ...homestead(), forWhom: 'family', beneficiary: { name: '何大山', relation: '123' } }), /beneficiary\.relation/],
    ['an adult not named', () => ({ ...homestead(), forWhom: 'family', beneficiary: { relation: '父亲' } }), /beneficiary\.name: .*only a newborn/],
    [
      'a bad phone',
      () => ({ ...homestead(), forWhom: 'family', beneficiary: { name: '何大山', relation: '父亲', phone: '12345' } }),
      /beneficiary\.phone: a mobile/,
    ],
    [
      'a minor’s phone',
      () => ({ ...homestead(), forWhom: 'family', beneficiary: { name: '何小宝', relation: '儿子', ageGroup: 'minor', phone: '13700005678' } }),
      /beneficiary\.phone: only for an adult/,
    ],
    ['an unknown age group', () => ({ ...homestead(), forWhom: 'family', beneficiary: { name: '何大山', relation: '父亲', ageGroup: 'old' } }), /ageGroup/],
    ['an unknown field', () => ({ ...homestead(), price: 3 }), /price/],
    ['a score-like wrong type', () => ({ ...homestead(), forWhom: 7 }), /forWhom/],
  ])('refuses %s with 400 and a clear message, writing nothing', async (_label, body, pattern) => {
    const before = { errands: count('errands'), outbox: count('outbox'), requests: count('mini_program_requests'), entrustments: count('entrustments') };
    const r = await file(body());
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: 'invalid_request' });
    expect(r.json<{ message: string }>().message).toMatch(pattern);
    expect({ errands: count('errands'), outbox: count('outbox'), requests: count('mini_program_requests'), entrustments: count('entrustments') }).toEqual(
      before,
    );
  });

  it('answers malformed JSON with 400 and another content type with 415', async () => {
    const broken = await mp.call('POST', '/api/mp/errands', token, '{"itemId":', { 'idempotency-key': newKey(), 'content-type': 'application/json' });
    expect(broken.statusCode).toBe(400);
    const form = await mp.call('POST', '/api/mp/errands', token, 'itemId=1', {
      'idempotency-key': newKey(),
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.statusCode).toBe(415);
  });
});

describe('my errands', () => {
  it('lists only mine, shows one with its timeline, and answers 404 for anyone else’s', async () => {
    const list = await mp.call('GET', '/api/mp/errands', token);
    expect(list.statusCode).toBe(200);
    const errands = schemas.errandsAnswer.parse(list.json()).errands;
    expect(errands.length).toBeGreaterThanOrEqual(3);
    const mine = errands[0]?.receiptNo ?? '';
    const detail = await mp.call('GET', `/api/mp/errands/${mine}`, token);
    expect(detail.statusCode).toBe(200);
    schemas.errandDetail.parse(detail.json());
    expect(detail.json()).toMatchObject({
      receiptNo: mine,
      status: 'requested',
      timeline: [expect.objectContaining({ event: 'request', text: '提交了申请' })],
      entrustments: [expect.objectContaining({ channel: 'mini-program' })],
      notices: [expect.objectContaining({ kind: 'intake', version: 1 })],
    });

    const chatOnes = sql<{ receipt_no: string }>("SELECT receipt_no FROM errands WHERE channel = 'simulator'");
    const theirs = chatOnes[0]?.receipt_no ?? '';
    expect(theirs).not.toBe('');
    expect(errands.map((e) => e.receiptNo)).not.toContain(theirs);
    const other = await mp.call('GET', `/api/mp/errands/${theirs}`, token);
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('刘芳');
    expect((await mp.call('GET', '/api/mp/errands/DB261201999', token)).statusCode).toBe(404);
    expect((await mp.call('GET', '/api/mp/errands/hello', token)).statusCode).toBe(400);
    const stranger = await mp.resident('o-form-stranger', { name: '韩梅', villageCode: 'qs-lw', phone: null });
    expect((await mp.call('GET', `/api/mp/errands/${mine}`, stranger)).statusCode).toBe(404);
    expect((await mp.call('GET', '/api/mp/errands', stranger)).json()).toEqual({ errands: [] });
  });
});
