import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxById, outboxRouteOf } from '../../../src/db/outbox-repository.ts';
import type { FakeWeChatApi } from '../../support/fake-wechat-api.ts';
import { bindFollower, followerWrites, notifyFollower, startOfficialAccountApp } from '../../support/official-account-follower.ts';
import { until } from '../../support/until.ts';
import { fileErrandByChat, homesteadAnswers } from '../../support/intake.ts';
import { auth, type TestApp } from '../../support/test-app.ts';

/**
 * The Official Account channel's routes, end to end against the fake WeChat API: customer-service
 * messages within the follower's allowance, template messages beyond it, the errcodes that move to
 * the next route, retry, or park the message.
 */

const TEMPLATES = `
template_messages:
  - kinds: [default]
    template_id: TPL_PROGRESS
    url: https://example.org/errands
    fields:
      thing1: { type: thing, source: text }
      time2: { type: time, source: now }
      phrase3: { type: phrase, value: 有新进展 }
  - kinds: [requested]
    template_id: TPL_STRUCTURED
    fields:
      thing1: { type: thing, source: item }
      phrase2: { type: phrase, source: status, labels: { requested: 待接单 } }
      character_string3: { type: character_string, source: receipt }
      time4: { type: time, source: due_date }
      thing5: { type: thing, source: village }
`;

let fake: FakeWeChatApi;
let app: TestApp;
beforeAll(async () => {
  ({ fake, app } = await startOfficialAccountApp('oa-templates', TEMPLATES, [
    ['template_send', 'TPL_PROGRESS', { thing1: 'thing', time2: 'time', phrase3: 'phrase' }],
    ['template_send', 'TPL_STRUCTURED', { thing1: 'thing', phrase2: 'phrase', character_string3: 'character_string', time4: 'time', thing5: 'thing' }],
  ]));
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

let followers = 0;
const newFollower = () => `oFollowerRoutes${process.pid}x${++followers}`;
const calls = (endpoint: 'custom_send' | 'template_send' | 'subscribe_send', openid: string) =>
  fake.requests.filter((r) => r.endpoint === endpoint && r.body.touser === openid);
const row = (id: number) => outboxById(app.daiban.database, id)!;
const route = (id: number) => outboxRouteOf(app.daiban.database, id);

async function delivered(ids: number[]): Promise<void> {
  await app.daiban.sweep();
  await until(() => ids.every((id) => row(id).status !== 'pending'), `outbox ${ids.join(',')} to be delivered or parked`);
}

/** Agent tasks written for a message (their keys derive from its dedupe key). */
const agentTasks = (id: number) =>
  app.daiban.database.sqlite
    .prepare<[string], { channel: string; recipient: string | null; text: string }>('SELECT channel, recipient, text FROM outbox WHERE dedupe_key LIKE ?')
    .all(`daiban-outbox-${id}-agent-task%`);

describe('Official Account routes: customer-service allowance, then template messages', () => {
  it('sends five notifications after a follower writes as customer-service messages, and the sixth as a template message without calling the customer-service API', async () => {
    const openid = newFollower();
    await followerWrites(app, openid, '你好');
    const texts = ['第一条通知', '第二条通知', '第三条通知', '第四条通知', '第五条通知', '【代办】您申请的城乡居民医保缴费证明已经办好，请到村委会领取。'];
    const ids: number[] = [];
    for (const text of texts) ids.push(notifyFollower(app, openid, text));
    await delivered(ids);

    expect(ids.map((id) => row(id).status)).toEqual(Array<string>(6).fill('sent'));
    expect(ids.map((id) => route(id)?.route)).toEqual([...Array<string>(5).fill('customer_service'), 'template']);
    expect(calls('custom_send', openid).map((r) => (r.body.text as { content: string }).content)).toEqual(texts.slice(0, 5));
    const [template] = calls('template_send', openid);
    expect(template!.body).toEqual({
      touser: openid,
      template_id: 'TPL_PROGRESS',
      url: 'https://example.org/errands',
      client_msg_id: `daiban-outbox-${ids[5]}`,
      data: { thing1: { value: '【代办】您申请的城乡居民医保缴费证明已…' }, time2: { value: '2026年12月1日 09:00' }, phrase3: { value: '有新进展' } },
    });
    expect(route(ids[5]!)?.detail).toMatch(
      /^customer_service: skipped \(5 of 5 customer-service messages used since the follower last wrote\); template: ok \(TPL_PROGRESS, msgid \d+\)$/,
    );

    // The follower writes again (past the 10-minute resolution of last_seen_at): a new allowance.
    app.clock.now += 11 * 60_000;
    await followerWrites(app, openid, '收到，谢谢');
    const again = notifyFollower(app, openid, '第七条通知');
    await delivered([again]);
    expect(route(again)?.route).toBe('customer_service');
    expect(calls('custom_send', openid)).toHaveLength(6);
  });

  it("fills a template's fields from the notification's errand, with the template configured for its status", async () => {
    const receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
    const errand = app.daiban.database.sqlite.prepare<[string], { id: number }>('SELECT id FROM errands WHERE receipt_no = ?').get(receipt)!;
    const openid = newFollower();
    bindFollower(app, openid, 'liu');
    const id = notifyFollower(app, openid, '【代办】您的申请已收到，等代办员接单。', errand.id);
    await delivered([id]);
    expect(route(id)?.route).toBe('template');
    const [sent] = fake.deliveredTemplates('template_send').filter((t) => t.touser === openid);
    expect(sent).toEqual({
      touser: openid,
      templateId: 'TPL_STRUCTURED',
      data: {
        thing1: expect.stringContaining('宅基地') as string,
        phrase2: '待接单',
        character_string3: receipt,
        time4: expect.stringMatching(/^20\d\d年\d{1,2}月\d{1,2}日$/) as string,
        thing5: '柳湾社区',
      },
    });
  });

  it('goes straight to the template message 48 hours after the follower last wrote', async () => {
    const openid = newFollower();
    await followerWrites(app, openid, '在吗');
    const inside = notifyFollower(app, openid, '窗口内');
    await delivered([inside]);
    app.clock.now += 48 * 3_600_000 + 60_000;
    const outside = notifyFollower(app, openid, '窗口外');
    await delivered([outside]);
    expect([route(inside)?.route, route(outside)?.route]).toEqual(['customer_service', 'template']);
    expect(route(outside)?.detail).toMatch(/customer_service: skipped \(the follower last wrote more than 48 hours ago\)/);
    expect(calls('custom_send', openid)).toHaveLength(1);
    expect(
      fake
        .deliveredTemplates('template_send')
        .filter((t) => t.touser === openid)
        .map((t) => t.data.thing1),
    ).toEqual(['窗口外']);
  });

  it.each([45015, 45047])(
    'on %i from the customer-service API falls back to the template message, and the next notification skips the customer-service API',
    async (errcode) => {
      const openid = newFollower();
      await followerWrites(app, openid, '你好');
      fake.failNext(errcode, 1, 'custom_send');
      const first = notifyFollower(app, openid, '第一条');
      await delivered([first]);
      expect(route(first)).toMatchObject({ route: 'template', detail: expect.stringContaining(`customer_service: errcode ${errcode}`) as string });
      const second = notifyFollower(app, openid, '第二条');
      await delivered([second]);
      expect(route(second)?.route).toBe('template');
      expect(calls('custom_send', openid)).toHaveLength(1);
      expect(
        fake
          .deliveredTemplates('template_send')
          .filter((t) => t.touser === openid)
          .map((t) => t.data.thing1),
      ).toEqual(['第一条', '第二条']);
    },
  );

  it.each([43004, 48002])(
    'on %i (the follower cannot get WeChat pushes) hands the message to the village agent, without trying a template message',
    async (errcode) => {
      const openid = newFollower();
      bindFollower(app, openid, 'zhang');
      await followerWrites(app, openid, '你好');
      fake.failNext(errcode, 1, 'custom_send');
      const id = notifyFollower(app, openid, `【代办】您的材料已送到便民服务中心。（${errcode}）`);
      await delivered([id]);
      expect(row(id).status).toBe('sent');
      expect(route(id)).toMatchObject({ route: 'agent_task', detail: expect.stringContaining(`customer_service: errcode ${errcode}`) as string });
      expect(calls('template_send', openid)).toEqual([]);
      const tasks = agentTasks(id);
      expect(tasks).toHaveLength(1);
      // The admin sees how it went.
      const shown = await app.daiban.server.inject({ method: 'GET', url: `/api/admin/outbox/${id}`, headers: auth });
      expect(shown.json()).toMatchObject({
        id,
        status: 'sent',
        route: { route: 'agent_task', detail: expect.stringContaining(`errcode ${errcode}`) as string },
      });
      expect(tasks[0]).toMatchObject({ channel: 'simulator', recipient: 'agent-li' });
      expect(tasks[0]!.text).toContain('张*花');
      expect(tasks[0]!.text).not.toContain('张秀花');
      expect(tasks[0]!.text).toContain('13900000011');
      expect(tasks[0]!.text).toContain(`【代办】您的材料已送到便民服务中心。（${errcode}）`);
      // The task reaches the agent through the simulator channel.
      await app.waitForOutbox({ to: 'agent-li' }, 1);
      expect((await app.outbox({ to: 'agent-li' })).filter((m) => m.text === tasks[0]!.text)).toHaveLength(1);
    },
  );

  it.each([-1, 45009])('retries the customer-service message after %i instead of falling back', async (errcode) => {
    const openid = newFollower();
    await followerWrites(app, openid, '你好');
    fake.failNext(errcode, 1, 'custom_send');
    const id = notifyFollower(app, openid, '稍后重试');
    await delivered([id]);
    expect(row(id)).toMatchObject({ status: 'sent', lastError: expect.stringContaining(`errcode ${errcode}`) as string });
    expect(route(id)?.route).toBe('customer_service');
    expect(calls('custom_send', openid).map((r) => r.answer.errcode)).toEqual([errcode, 0]);
    expect(calls('template_send', openid)).toEqual([]);
  });

  it('retries a template message after −1 with the same client_msg_id, and WeChat shows it once', async () => {
    const openid = newFollower();
    fake.failNext(-1, 1, 'template_send');
    const id = notifyFollower(app, openid, '忙时重试');
    await delivered([id]);
    expect(route(id)?.route).toBe('template');
    expect(calls('template_send', openid).map((r) => [r.answer.errcode, r.body.client_msg_id])).toEqual([
      [-1, `daiban-outbox-${id}`],
      [0, `daiban-outbox-${id}`],
    ]);
    expect(fake.deliveredTemplates('template_send').filter((t) => t.touser === openid)).toHaveLength(1);
  });

  it('parks the message as a dead letter naming 40164 (IP not whitelisted), without retrying or handing it over', async () => {
    const openid = newFollower();
    bindFollower(app, openid, 'zhang');
    fake.failNext(40164, 1, 'template_send');
    const id = notifyFollower(app, openid, '配置错误');
    await delivered([id]);
    expect(row(id).status).toBe('dead');
    expect(row(id).lastError).toMatch(/configuration error on template: WeChat errcode 40164/);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls('template_send', openid)).toHaveLength(1);
    expect(agentTasks(id)).toEqual([]);
    expect(route(id)).toBeUndefined();
  });

  it('does not send again what WeChat took before a worker died (customer-service claim, template client_msg_id)', async () => {
    const openid = newFollower();
    await followerWrites(app, openid, '你好');
    const cs = notifyFollower(app, openid, '客服消息');
    await delivered([cs]);
    app.clock.now += 49 * 3_600_000;
    const template = notifyFollower(app, openid, '模板消息');
    await delivered([template]);
    // As if each worker had died after WeChat answered but before the row was marked.
    const db = app.daiban.database;
    db.write(() => db.sqlite.prepare("UPDATE outbox SET status = 'pending', sent_seq = NULL WHERE id IN (?, ?)").run(cs, template));
    db.write(() => db.sqlite.prepare('DELETE FROM outbox_routes WHERE outbox_id IN (?, ?)').run(cs, template));
    await app.daiban.outbox.redeliver([cs, template]);
    await delivered([cs, template]);
    expect(route(cs)?.detail).toBe('customer_service: ok (sent before a restart)');
    expect(calls('custom_send', openid)).toHaveLength(1);
    expect(calls('template_send', openid)).toHaveLength(2);
    expect(fake.deliveredTemplates('template_send').filter((t) => t.touser === openid)).toHaveLength(1);
  });
});
