import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

// Issue 13 item 8 end to end: a resident tells what happened, in the simulator chat (the real inbound
// handler, the catalogue seeded into SQLite with its concepts), and is offered the right item.
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('finding an item from a story told in chat', () => {
  it.each([
    ['liu-fang', '屋顶塌了一角，住着不安全', '农村危房改造'],
    ['zhang-xiuhua', '老汉儿上个月走了，户口本上还有他', '死亡注销户口'],
    ['wang-xiaojun', '在东莞进厂，生病了医保咋个用', '医保异地就医备案'],
  ])('%s: %s → %s', async (from, story, itemName) => {
    const [reply] = await app.say(from, story);
    expect(reply).toContain(`【${itemName}】`);
    expect(reply).toContain('要请代办员帮您办吗？');
    await app.say(from, '3');
  });

  it('takes chat with a word of a story for chat, not a request', async () => {
    const [reply] = await app.say('liu-fang', '我走了，明天见');
    expect(reply).not.toMatch(/【/);
    expect(reply).toContain('1. 申请代办');
  });
});
