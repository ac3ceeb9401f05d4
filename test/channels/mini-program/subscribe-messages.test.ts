import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { insertOutbox, outboxById, outboxRouteOf } from '../../../src/db/outbox-repository.ts';
import { subscribeCreditsOf } from '../../../src/db/subscribe-credits-repository.ts';
import { MP_APPID, startMiniProgram, type MiniProgramHarness } from '../../support/mini-program.ts';
import { until } from '../../support/until.ts';

/**
 * Notifications to mini-program users: a subscribe message (subscribe/send, the mini-program's own
 * token) while the user holds a credit for the template of the notification's kind, else the task for
 * the village agent — through a whole Daiban and the fake WeChat API.
 */

const TEMPLATES = `
subscribe_messages:
  - kinds: [claimed]
    template_id: MP_PROGRESS
    page: pages/errands/detail
    fields:
      thing1: { type: thing, source: item }
      phrase2: { type: phrase, source: status, labels: { claimed: 已接单 } }
      time3: { type: time, source: now }
  - kinds: [general]
    template_id: MP_GENERAL
    page: pages/gone/index
    fields:
      thing1: { type: thing, source: text }
`;

let mp: MiniProgramHarness;
beforeAll(async () => {
  const dir = join(process.cwd(), '.tmp', `mp-subscribe-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mp-templates.yaml'), TEMPLATES);
  mp = await startMiniProgram({ WECHAT_MP_TEMPLATES_PATH: join(dir, 'mp-templates.yaml') }, { pages: ['pages/errands/detail'] });
  mp.api.addTemplate('subscribe_send', 'MP_PROGRESS', { thing1: 'thing', phrase2: 'phrase', time3: 'time' });
  mp.api.addTemplate('subscribe_send', 'MP_GENERAL', { thing1: 'thing' });
});
afterAll(async () => {
  await mp?.close();
});

let users = 0;
const newUser = () => `oMpSub${process.pid}x${++users}`;
const db = () => mp.app.daiban.database;
const credits = (openid: string) => subscribeCreditsOf(db(), 'mini-program', openid).find((c) => c.templateId === 'MP_PROGRESS')?.credits ?? 0;
const sends = (openid: string) => mp.api.requests.filter((r) => r.endpoint === 'mp_subscribe_send' && r.body.touser === openid);
const toUser = (openid: string) =>
  db()
    .sqlite.prepare<[string], { id: number; status: string; lastError: string | null }>(
      "SELECT id, status, last_error AS lastError FROM outbox WHERE channel = 'mini-program' AND recipient = ? ORDER BY id",
    )
    .all(openid);
const agentTasks = (id: number) =>
  db()
    .sqlite.prepare<[string], { id: number; recipient: string | null; status: string; text: string }>(
      'SELECT id, recipient, status, text FROM outbox WHERE dedupe_key LIKE ?',
    )
    .all(`daiban-outbox-${id}-agent-task%`);

/** A resident of 柳湾 who logs in to the mini-program, accepts `accepts` subscribe messages and files an errand. */
async function residentWithErrand(accepts: number): Promise<{ openid: string; receipt: string }> {
  const openid = newUser();
  const token = await mp.resident(openid, { name: '何小梅', villageCode: 'qs-lw', phone: null });
  for (let i = 0; i < accepts; i++)
    expect((await mp.call('POST', '/api/mp/subscriptions', token, { results: { MP_PROGRESS: 'accept' } })).statusCode).toBe(200);
  // fileHomestead fails unless the errand is filed (201).
  return { openid, receipt: await mp.fileHomestead(token, `mp-sub-${openid}`) };
}

/** The village agent claims the errand by chat; answers the claim notification to the resident. */
async function claimed(openid: string, receipt: string): Promise<number> {
  const before = toUser(openid).length;
  await mp.app.say('agent-sun', `接单 ${receipt}`, 'lw-agents@chatroom');
  await mp.app.daiban.sweep();
  await until(() => toUser(openid).length > before && toUser(openid).every((r) => r.status !== 'pending'), 'the claim notification to be delivered or parked');
  return toUser(openid).at(-1)!.id;
}

describe('the mini-program channel', () => {
  it("sends the claim notification as a subscribe message with one of the resident's credits, with the mini-program's own token", async () => {
    const { openid, receipt } = await residentWithErrand(2);
    const id = await claimed(openid, receipt);
    expect(outboxRouteOf(db(), id)).toMatchObject({ route: 'subscribe', detail: 'subscribe: ok (MP_PROGRESS)' });
    const [send] = sends(openid);
    expect(sends(openid)).toHaveLength(1);
    expect(send!.body).toEqual({
      touser: openid,
      template_id: 'MP_PROGRESS',
      page: 'pages/errands/detail',
      data: {
        thing1: { value: '农村宅基地和建房申请' },
        phrase2: { value: '已接单' },
        time3: { value: expect.stringMatching(/^2026年12月1日 \d\d:\d\d$/) as string },
      },
      miniprogram_state: 'formal',
      lang: 'zh_CN',
    });
    expect(credits(openid)).toBe(1);
    // The token is the mini-program's (its AppID), cached under a key of its own.
    expect(mp.api.requests.filter((r) => r.endpoint === 'stable_token').map((r) => r.body.appid)).toEqual([MP_APPID]);
    const redis = new Redis(inject('redisUrl'));
    try {
      expect(await redis.get(`${mp.app.config.bullmqPrefix}:daiban:wechat-mp:${MP_APPID}:access-token`)).toBe(send!.query.access_token);
    } finally {
      redis.disconnect();
    }
  });

  it('spends one credit however often the job is retried (−1, then a refused token)', async () => {
    const { openid, receipt } = await residentWithErrand(3);
    mp.api.failNext(-1, 1, 'mp_subscribe_send');
    mp.api.failNext(40001, 1, 'mp_subscribe_send');
    const id = await claimed(openid, receipt);
    expect(outboxRouteOf(db(), id)?.route).toBe('subscribe');
    expect(sends(openid).map((r) => r.answer.errcode)).toEqual([-1, 40001, 0]);
    expect(credits(openid)).toBe(2);
    // Sent again by an admin: the row is sent, nothing more goes out.
    await mp.app.daiban.outbox.redeliver([id]);
    await mp.app.daiban.sweep();
    await new Promise((r) => setTimeout(r, 300));
    expect(sends(openid)).toHaveLength(3);
    expect(credits(openid)).toBe(2);
  });

  it('without a credit hands the notification to the village agent, exactly once', async () => {
    const { openid, receipt } = await residentWithErrand(0);
    const id = await claimed(openid, receipt);
    expect(sends(openid)).toEqual([]);
    expect(outboxRouteOf(db(), id)).toMatchObject({ route: 'agent_task', detail: 'subscribe: no credit for MP_PROGRESS; agent_task: 1 message(s)' });
    const tasks = agentTasks(id);
    expect(tasks.map((t) => t.recipient)).toEqual(['agent-sun']);
    expect(tasks[0]!.text).toContain('何*梅');
    await until(() => agentTasks(id)[0]?.status === 'sent', 'the agent task to be delivered');
    await mp.app.daiban.outbox.redeliver([id]);
    await mp.app.daiban.sweep();
    await new Promise((r) => setTimeout(r, 300));
    expect(agentTasks(id)).toHaveLength(1);
  });

  it('hands a notification of a kind no template serves to the village agent, spending no credit', async () => {
    const { openid, receipt } = await residentWithErrand(1);
    const errandId = db().sqlite.prepare<[string], { id: number }>('SELECT id FROM errands WHERE receipt_no = ?').get(receipt)!.id;
    // The errand is still waiting for an agent (requested): only `claimed` and `general` have templates.
    const [id] = db().write(() =>
      insertOutbox(
        db(),
        [{ channel: 'mini-program', recipient: openid, room: null, text: '您的申请已登记', kind: 'notification', errandId }],
        mp.app.clock.now,
      ),
    );
    await mp.app.daiban.sweep();
    await until(() => outboxById(db(), id!)?.status === 'sent', 'the notification to be handed over');
    expect(outboxRouteOf(db(), id!)).toMatchObject({ route: 'agent_task', detail: 'subscribe: none configured for kind requested; agent_task: 1 message(s)' });
    expect(sends(openid)).toEqual([]);
    expect(credits(openid)).toBe(1);
    expect(agentTasks(id!).map((t) => t.recipient)).toEqual(['agent-sun']);
  });

  it('on 43101 (the user refused) hands the notification to the agent and clears the credits we counted', async () => {
    const { openid, receipt } = await residentWithErrand(2);
    mp.api.failNext(43101, 1, 'mp_subscribe_send');
    const id = await claimed(openid, receipt);
    expect(outboxRouteOf(db(), id)).toMatchObject({ route: 'agent_task', detail: expect.stringContaining('subscribe: errcode 43101') as string });
    expect(agentTasks(id).map((t) => t.recipient)).toEqual(['agent-sun']);
    expect(credits(openid)).toBe(0);
  });

  it('on 47003 parks the notification as a dead letter naming the code, and gives the credit back', async () => {
    const { openid, receipt } = await residentWithErrand(1);
    mp.api.failNext(47003, 1, 'mp_subscribe_send');
    const id = await claimed(openid, receipt);
    expect(outboxById(db(), id)).toMatchObject({ status: 'dead', lastError: expect.stringContaining('WeChat errcode 47003') as string });
    expect(agentTasks(id)).toEqual([]);
    expect(credits(openid)).toBe(1);
  });

  it("parks a notification naming 41030 when the configured page is not one of the mini-program's", async () => {
    const openid = newUser();
    const token = await mp.resident(openid, { name: '何小梅', villageCode: 'qs-lw', phone: null });
    await mp.call('POST', '/api/mp/subscriptions', token, { results: { MP_GENERAL: 'accept' } });
    const [id] = db().write(() =>
      insertOutbox(db(), [{ channel: 'mini-program', recipient: openid, room: null, text: '通知', kind: 'notification', errandId: null }], mp.app.clock.now),
    );
    await mp.app.daiban.sweep();
    await until(() => outboxById(db(), id!)?.status !== 'pending', 'the notification to be parked');
    expect(sends(openid).map((r) => [r.body.page, r.answer.errcode])).toEqual([['pages/gone/index', 41030]]);
    expect(outboxById(db(), id!)).toMatchObject({ status: 'dead', lastError: expect.stringContaining('WeChat errcode 41030 (invalid page path)') as string });
  });
});
