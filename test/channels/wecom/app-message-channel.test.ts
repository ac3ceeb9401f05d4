import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOutbox, outboxById } from '../../../src/db/outbox-repository.ts';
import { startWeComDriver, type WeComDriver } from '../../support/wecom-driver.ts';
import { until } from '../../support/until.ts';

/** Messages to WeCom members through the app message API (fake), with the app's access token. */

const MEMBERS = ['wc_li', 'wc_many', 'wc_zhao', 'wc_busy', 'wc_token', 'wc_ip'];
let driver: WeComDriver;
beforeAll(async () => {
  // Our own per-person limit above WeCom's, so that WeCom's 30 a minute per member is what binds.
  driver = await startWeComDriver({ members: MEMBERS, env: { OUTBOX_PERSON_PER_MINUTE: '100' } });
});
afterAll(async () => {
  await driver?.close();
});

function notify(userId: string, text: string): number {
  const db = driver.app.daiban.database;
  const [id] = db.write(() => insertOutbox(db, [{ channel: 'wecom', recipient: userId, room: null, text, kind: 'notification' }], driver.app.clock.now));
  return id!;
}
const row = (id: number) => outboxById(driver.app.daiban.database, id);
const delivered = (userId: string) => driver.fake.appMessages().filter((m) => m.touser === userId);
const calls = (endpoint: string) => driver.fake.requests.filter((r) => r.endpoint === endpoint);

describe('WeCom app messages', () => {
  it('parks every message as a dead letter naming the code while gettoken refuses the Secret', async () => {
    driver.fake.failNext(40001, 1, 'gettoken');
    const id = notify('wc_li', '【代办】测试');
    await until(() => row(id)?.status === 'dead', 'the dead letter');
    expect(row(id)!.lastError).toMatch(/gettoken.*errcode 40001/);
    expect(calls('message_send')).toHaveLength(0);
  });

  it('sends a notification to a member with the app’s AgentId, fetching one token', async () => {
    const id = notify('wc_zhao', '【代办】您有一件新代办。');
    await until(() => row(id)?.status === 'sent', 'the notification');
    expect(delivered('wc_zhao')).toEqual([{ touser: 'wc_zhao', content: '【代办】您有一件新代办。' }]);
    expect(calls('gettoken').filter((c) => c.answer.errcode === 0)).toHaveLength(1);
  });

  it('drops a token WeCom rejects (40014), fetches another and sends once more', async () => {
    driver.fake.failNext(40014, 1, 'message_send');
    const tokensBefore = calls('gettoken').length;
    const id = notify('wc_token', '【代办】令牌测试');
    await until(() => row(id)?.status === 'sent', 'the notification');
    expect(row(id)!.attempts).toBe(0);
    expect(calls('gettoken').length - tokensBefore).toBe(1);
    expect(delivered('wc_token')).toHaveLength(1);
  });

  it('parks a message to someone who is not a member, or from an untrusted IP, as a dead letter naming the code', async () => {
    const stranger = notify('wc_not_a_member', '【代办】测试');
    await until(() => row(stranger)?.status === 'dead', 'the dead letter');
    expect(row(stranger)!.lastError).toMatch(/errcode 81013/);
    driver.fake.failNext(60020, 1, 'message_send');
    const ip = notify('wc_ip', '【代办】测试');
    await until(() => row(ip)?.status === 'dead', 'the dead letter');
    expect(row(ip)!.lastError).toMatch(/errcode 60020.*trusted IP/);
  });

  it('retries after WeCom’s frequency refusal (45009)', async () => {
    driver.fake.failNext(45009, 1, 'message_send');
    const id = notify('wc_busy', '【代办】频率测试');
    await until(() => row(id)?.status === 'sent', 'the retried notification');
    expect(delivered('wc_busy')).toHaveLength(1);
  });

  it('sends at most 30 messages a minute to one member; the rest wait', async () => {
    const ids = Array.from({ length: 33 }, (_, i) => notify('wc_many', `【代办】第${i + 1}条`));
    await until(() => delivered('wc_many').length >= 30, '30 messages');
    await new Promise((r) => setTimeout(r, 1500));
    expect(delivered('wc_many')).toHaveLength(30);
    expect(ids.map((id) => row(id)!.status).filter((s) => s === 'pending')).toHaveLength(3);
  });
});
