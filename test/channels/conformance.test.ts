import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelDriver } from '../support/channel-driver.ts';
import { homesteadAnswers } from '../support/intake.ts';
import { startOfficialAccountDriver } from '../support/official-account-driver.ts';
import { startSimulatorDriver } from '../support/simulator-driver.ts';
import { startWechatyDriver } from '../support/wechaty-driver.ts';
import { startWeComDriver } from '../support/wecom-driver.ts';

/**
 * One suite, every channel: each converts its messages to the one inbound shape at its edge, so the
 * same conversation gives the same outcome whichever channel carries it. Each channel's driver
 * (test/support/<channel>-driver.ts) speaks that channel's real protocol against a whole Daiban.
 */

const channels: [string, () => Promise<ChannelDriver>][] = [
  ['simulator', startSimulatorDriver],
  ['official-account', startOfficialAccountDriver],
  ['wechaty', () => startWechatyDriver()],
  ['wecom', () => startWeComDriver()],
];

describe.each(channels)('channel conformance: %s', (_name, start) => {
  let driver: ChannelDriver;
  let receipt = '';
  beforeAll(async () => {
    driver = await start();
  });
  afterAll(async () => {
    await driver?.close();
  });

  it("a newcomer's first words start registration with the privacy notice", async () => {
    const [first] = await driver.say('newcomer-conformance', '你好');
    expect(first).toMatch(/个人信息说明/);
  });

  it('a bound resident files an errand privately, gets the receipt, and the village agents hear of it', async () => {
    await driver.bind('liu-fang');
    let last = await driver.say('liu-fang', '宅基地建房');
    for (const answer of homesteadAnswers) last = await driver.say('liu-fang', answer);
    receipt = /DB\d{9,}/.exec(last.join('\n'))?.[0] ?? '';
    expect(receipt, last.join('\n')).not.toBe('');
    const row = driver.app.daiban.database.sqlite
      .prepare<[string], { channel: string; village_code: string }>('SELECT channel, village_code FROM errands WHERE receipt_no = ?')
      .get(receipt);
    expect(row).toEqual({ channel: driver.channel, village_code: 'qs-lw' });
    const notice = await driver.app.waitForOutbox({ room: 'lw-agents@chatroom' }, 1);
    expect(notice.map((m) => m.text).join('\n')).toContain(receipt);
  });

  it("an agent's command works on this channel, in the agents' room where it has rooms", async () => {
    await driver.bind('agent-sun');
    const replies = driver.sayInRoom
      ? await driver.sayInRoom('lw-agents@chatroom', 'agent-sun', `接单 ${receipt}`, true)
      : await driver.say('agent-sun', `接单 ${receipt}`);
    expect(replies.join('\n')).toMatch(/接单/);
    expect(replies.join('\n')).toContain(receipt);
    const status = driver.app.daiban.database.sqlite
      .prepare<[string], { status: string }>('SELECT status FROM errands WHERE receipt_no = ?')
      .get(receipt)?.status;
    expect(status).toBe('claimed');
  });

  it('the resident hears of the claim on the channel they asked on', async () => {
    const texts = await driver.notificationsTo('liu-fang', 1);
    expect(texts.join('\n')).toMatch(/接单|代办员/);
  });
});
