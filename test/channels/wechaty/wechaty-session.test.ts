import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWechatyDriver, type WechatyDriver } from '../../support/wechaty-driver.ts';
import { homesteadAnswers } from '../../support/intake.ts';

/**
 * The Wechaty channel through wechaty-puppet-mock against a whole Daiban (real SQLite and Redis): a
 * resident's private intake, an agent bound by code claiming in the bound agents room, bind codes
 * refused, and the messages the channel must ignore.
 */

let driver: WechatyDriver;
beforeAll(async () => {
  driver = await startWechatyDriver();
  // The village's agent and its agents' group are bound by one-time codes before anything is filed.
  await driver.bind('agent-li');
  await driver.room('sq-agents@chatroom');
}, 30_000);
afterAll(async () => {
  await driver?.close();
});

const registration = ['同意', '刘春花', '石桥村', '1', '没有', '0'];

describe('the Wechaty channel', () => {
  it('takes a resident who bound nothing through registration and a request in a private chat', async () => {
    const chunhua = driver.contact('刘春花');
    const [welcome] = await driver.send(chunhua, '宅基地建房');
    expect(welcome).toContain('【个人信息说明】');
    let last: string[] = [];
    for (const answer of [...registration, ...homesteadAnswers]) last = await driver.send(chunhua, answer);
    expect(last.join('\n')).toMatch(/DB\d{9,}/);
    const identity = driver.app.daiban.database.sqlite
      .prepare<[], { externalId: string; name: string }>("SELECT ci.external_id AS externalId, p.name FROM channel_identities ci JOIN people p ON p.id = ci.person_id WHERE ci.channel = 'wechaty' AND p.name = '刘春花'")
      .all();
    // The identity is our stable key, not the puppet's contact id.
    expect(identity).toHaveLength(1);
    expect(identity[0]?.externalId).toMatch(/^wxc-[0-9a-f]{12}$/);
  });

  it('lets an agent bound by code claim the errand in the agents room bound by code, by @mention', async () => {
    const room = await driver.room('sq-agents@chatroom');
    const receipt = /DB\d{9,}/.exec(driver.heard(driver.contact('刘春花')).join('\n'))?.[0];
    expect(receipt).toBeDefined();
    // The new request's notice reached the bound room through the outbox worker of the bot.
    await driver.app.settle();
    await expect.poll(() => driver.heard(room).join('\n'), { timeout: 10_000 }).toContain(receipt!);

    const replies = await driver.sayInRoom!('sq-agents@chatroom', 'agent-li', `接单 ${receipt!}`, true);
    expect(replies).toEqual([expect.stringMatching(new RegExp(`^@李明 ✅ ${receipt!} .*由李明接单`))]);
    const claimed = await driver.notificationsTo('刘春花', 1);
    expect(claimed.join('\n')).toContain('已由代办员李明接单');
  });
});
