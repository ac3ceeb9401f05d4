import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfficialAccountChannel } from '../../../src/channels/official-account/official-account-channel.ts';
import { createAgentOutreach } from '../../../src/app/agent-outreach.ts';
import { markOutboxSentVia, outboxById, outboxRouteOf } from '../../../src/db/outbox-repository.ts';
import { grantSubscribeCredits, subscribeCreditsOf } from '../../../src/db/subscribe-credits-repository.ts';
import { NO_MESSAGE_TEMPLATES } from '../../../src/channels/wechat/message-templates.ts';
import type { FakeWeChatApi } from '../../support/fake-wechat-api.ts';
import { bindFollower, notifyFollower, startOfficialAccountApp } from '../../support/official-account-follower.ts';
import { until } from '../../support/until.ts';
import type { TestApp } from '../../support/test-app.ts';

/**
 * The routes after the customer-service allowance when no template message is configured: a subscribe
 * message while the follower holds a credit, then the task for the village agent — written once.
 */

const TEMPLATES = `
subscribe_messages:
  - kinds: [default]
    template_id: SUB_NOTICE
    page: pages/errands/index
    fields:
      thing1: { type: thing, source: text }
      thing2: { type: thing, value: 村级代办服务 }
`;

let fake: FakeWeChatApi;
let app: TestApp;
beforeAll(async () => {
  ({ fake, app } = await startOfficialAccountApp('oa-subscribe', TEMPLATES, [['subscribe_send', 'SUB_NOTICE', { thing1: 'thing', thing2: 'thing' }]]));
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

let followers = 0;
const newFollower = () => `oFollowerSub${process.pid}x${++followers}`;
const calls = (openid: string) => fake.requests.filter((r) => r.endpoint === 'subscribe_send' && r.body.touser === openid);
const row = (id: number) => outboxById(app.daiban.database, id)!;
const route = (id: number) => outboxRouteOf(app.daiban.database, id);
const credits = (openid: string) =>
  subscribeCreditsOf(app.daiban.database, 'official-account', openid).find((c) => c.templateId === 'SUB_NOTICE')?.credits ?? 0;
const grant = (openid: string, n: number) => {
  const db = app.daiban.database;
  db.write(() => grantSubscribeCredits(db, { app: 'official-account', openId: openid, templateId: 'SUB_NOTICE' }, n, app.clock.now));
};
const agentTasks = (id: number) =>
  app.daiban.database.sqlite
    .prepare<[string], { id: number; recipient: string | null; status: string }>('SELECT id, recipient, status FROM outbox WHERE dedupe_key LIKE ?')
    .all(`daiban-outbox-${id}-agent-task%`);

async function delivered(ids: number[]): Promise<void> {
  await app.daiban.sweep();
  await until(() => ids.every((id) => row(id).status !== 'pending'), `outbox ${ids.join(',')} to be delivered or parked`);
}

describe('Official Account routes: subscribe messages, then the village agent', () => {
  it("sends a subscribe message with one of the follower's credits", async () => {
    const openid = newFollower();
    grant(openid, 2);
    const id = notifyFollower(app, openid, '【代办】您的证明已经办好了，请到村委会领取，记得带身份证。');
    await delivered([id]);
    expect(route(id)?.route).toBe('subscribe');
    expect(calls(openid).map((r) => r.body)).toEqual([
      {
        touser: openid,
        template_id: 'SUB_NOTICE',
        page: 'pages/errands/index',
        data: { thing1: { value: '【代办】您的证明已经办好了，请到村委会…' }, thing2: { value: '村级代办服务' } },
      },
    ]);
    expect(credits(openid)).toBe(1);
  });

  it('on 43101 (no subscription after all) hands the message to the village agent and clears the credits we counted', async () => {
    const openid = newFollower();
    bindFollower(app, openid, 'wang');
    // Two credits as we counted them; WeChat says there is no subscription: neither is real.
    grant(openid, 2);
    fake.failNext(43101, 1, 'subscribe_send');
    const id = notifyFollower(app, openid, '订阅被拒');
    await delivered([id]);
    expect(route(id)).toMatchObject({ route: 'agent_task', detail: expect.stringContaining('subscribe: errcode 43101') as string });
    expect(credits(openid)).toBe(0);
    expect(agentTasks(id).map((t) => t.recipient)).toEqual(['agent-li']);
  });

  it('retries a subscribe message after −1 with the credit it holds, taking no second one', async () => {
    const openid = newFollower();
    grant(openid, 2);
    fake.failNext(-1, 1, 'subscribe_send');
    const id = notifyFollower(app, openid, '忙时重试');
    await delivered([id]);
    expect(route(id)?.route).toBe('subscribe');
    expect(calls(openid).map((r) => r.answer.errcode)).toEqual([-1, 0]);
    expect(credits(openid)).toBe(1);
  });

  it('gives the credit back when WeChat refuses for a reason that used none (47003), and parks the message naming the code', async () => {
    const openid = newFollower();
    grant(openid, 1);
    fake.failNext(47003, 1, 'subscribe_send');
    const id = notifyFollower(app, openid, '参数错误');
    await delivered([id]);
    expect(row(id)).toMatchObject({ status: 'dead', lastError: expect.stringContaining('errcode 47003') as string });
    expect(credits(openid)).toBe(1);
  });

  it('with no template message, no credit and no window, the agent task reaches the agent exactly once even when the job is retried', async () => {
    const openid = newFollower();
    bindFollower(app, openid, 'liu');
    const id = notifyFollower(app, openid, '【代办】请带户口本到社区办理。');
    await delivered([id]);
    expect(route(id)?.detail).toBe(
      'customer_service: skipped (the follower never wrote to the account (and did not follow, scan or click within the last minute)); template: none configured for kind general; subscribe: no credit for SUB_NOTICE; agent_task: 1 message(s)',
    );
    const [task] = agentTasks(id);
    expect(task?.recipient).toBe('agent-sun');
    await until(() => agentTasks(id)[0]?.status === 'sent', 'the agent task to be delivered');
    // The job again (an admin's redelivery, a second sweep): the row is sent, nothing more happens.
    await app.daiban.outbox.redeliver([id]);
    await app.daiban.sweep();
    await new Promise((r) => setTimeout(r, 300));
    expect(agentTasks(id)).toHaveLength(1);
    expect((await app.outbox({ to: 'agent-sun' })).filter((m) => m.text.includes('【代办】请带户口本到社区办理。'))).toHaveLength(1);
  });

  it('writes the agent task once when two attempts both reach the last resort (a worker died before marking)', async () => {
    const db = app.daiban.database;
    const openid = newFollower();
    bindFollower(app, openid, 'liu');
    // A pending row no worker takes (no job): both attempts run here, as two workers would.
    const [id] = db
      .write(
        () =>
          db.sqlite
            .prepare(
              "INSERT INTO outbox (channel, recipient, room, text, kind, status, attempts, created_at) VALUES ('official-account', ?, NULL, '两次尝试', 'notification', 'dead', 0, ?) RETURNING id",
            )
            .all(openid, app.clock.now) as { id: number }[],
      )
      .map((r) => r.id);
    db.write(() => db.sqlite.prepare("UPDATE outbox SET status = 'pending' WHERE id = ?").run(id!));
    const channel = createOfficialAccountChannel({
      database: db,
      tokens: { get: async () => 'unused', invalidate: async () => undefined },
      apiBase: fake.url,
      templates: NO_MESSAGE_TEMPLATES,
      statusLabel: () => null,
      outreach: createAgentOutreach({ database: db, directory: () => app.daiban.directories.current(), templates: app.daiban.templates }),
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      now: () => app.clock.now,
    });
    const message = { outboxId: id!, dedupeKey: `daiban-outbox-${id}`, recipient: openid, room: null, text: '两次尝试', errandId: null };
    const first = await channel.send(message);
    const second = await channel.send(message);
    expect(first && second && first.handOver).toEqual(second && second.handOver);
    const write = (outcome: typeof first) =>
      markOutboxSentVia(db, {
        id: id!,
        route: outcome!.route,
        detail: outcome!.detail,
        handOver: outcome!.handOver!.map((h) => ({ ...h, kind: 'notification' as const })),
        now: app.clock.now,
      });
    expect(write(first)).toHaveLength(1);
    expect(write(second)).toBeNull();
    expect(agentTasks(id!)).toHaveLength(1);
  });

  it('parks the message naming the refusal and every route tried when the follower is unknown to every agent', async () => {
    const openid = newFollower();
    fake.failNext(43004, 1, 'subscribe_send');
    grant(openid, 1);
    const id = notifyFollower(app, openid, '无人可问');
    await delivered([id]);
    expect(row(id).status).toBe('dead');
    expect(row(id).lastError).toMatch(/no route reached the follower: .*subscribe: errcode 43004 .*agent_task: the follower is not registered/);
    expect(credits(openid)).toBe(1);
  });
});
