import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelDriver } from '../../support/channel-driver.ts';
import { startOfficialAccountDriver } from '../../support/official-account-driver.ts';

/**
 * Villagers' own words through the signed Official Account webhook: a complaint told as a story in the
 * middle of a request is recorded with its type and the request goes on; progress asked in dialect.
 */

let driver: ChannelDriver;
beforeAll(async () => {
  driver = await startOfficialAccountDriver();
  await driver.bind('zhang-xiuhua');
});
afterAll(async () => {
  await driver?.close();
});

const complaints = () => driver.app.daiban.database.sqlite.prepare<[], { type: string; text: string }>('SELECT type, text FROM complaints ORDER BY id').all();

describe('villagers’ words on the Official Account', () => {
  it('records a complaint told as a story mid-request, typed from the story, and comes back to the request', async () => {
    await driver.say('zhang-xiuhua', '宅基地建房');
    const replies = await driver.say('zhang-xiuhua', '我要投诉李明不来收材料');
    const text = replies.join('\n');
    expect(text).toContain('已经记下了');
    expect(text).toContain('接着办刚才的事');
    expect(complaints()).toEqual([{ type: 'shirking', text: '我要投诉李明不来收材料' }]);
    const supervisor = await driver.app.waitForOutbox({ to: 'supervisor-zhou' }, 1);
    expect(supervisor.map((m) => m.text).join('\n')).toContain('推诿不办');
  });

  it('answers progress asked in dialect and keeps the request where it was', async () => {
    const replies = await driver.say('zhang-xiuhua', '我老汉儿的事办到哪了');
    expect(replies.join('\n')).toMatch(/还没有代办的事[\s\S]*接着办刚才的事/);
    const next = (await driver.say('zhang-xiuhua', '要得')).join('\n');
    expect(next).not.toMatch(/没太明白|请问要办什么事/);
    expect(next).toMatch(/给.*办/);
  });
});
