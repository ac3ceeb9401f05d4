import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAccessTokens } from '../../../src/channels/wechat/access-token.ts';
import { MenuFileError, parseMenu, readMenuFile } from '../../../src/channels/official-account/custom-menu.ts';
import { publishMenu } from '../../../src/channels/official-account/menu-publisher.ts';
import { WeChatApiError } from '../../../src/channels/wechat/wechat-api.ts';
import { startFakeWeChatApi, type FakeWeChatApi } from '../../support/fake-wechat-api.ts';

const APPID = 'wx49f0ab532d5d035a';
const SECRET = 'fakeSecret0123456789abcdef012345';

let fake: FakeWeChatApi;
let redis: Redis;
beforeAll(async () => {
  fake = await startFakeWeChatApi({ appId: APPID, secret: SECRET });
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  redis.disconnect();
  await fake.close();
});

describe('the custom menu file', () => {
  it('the shipped menu is valid and every click key stands for words the bot understands', () => {
    const menu = readMenuFile('data/wechat-menu.yaml');
    expect(menu.body.button).toHaveLength(3);
    expect(menu.says.get('MENU_MY_ERRANDS')).toBe('我的代办');
    const more = menu.body.button[2] as { name: string; sub_button: unknown[] };
    expect(more.name).toBe('更多');
    expect(more.sub_button).toContainEqual({ type: 'click', name: '找代办员', key: 'MENU_TALK_TO_AGENT' });
  });

  it('refuses what WeChat would refuse, naming the place', () => {
    const four = 'buttons:\n' + ['a', 'b', 'c', 'd'].map((k) => `  - { name: 按钮, key: ${k}, says: 你好 }`).join('\n');
    expect(() => parseMenu(four)).toThrow(/buttons/);
    expect(() => parseMenu('buttons:\n  - { name: 这个名字实在太长了, key: a, says: 你好 }')).toThrow(/buttons\.0.*16 bytes/);
    expect(() => parseMenu('buttons:\n  - { name: 办事, key: a, says: 你好 }\n  - { name: 进度, key: a, says: 进度 }')).toThrow(/key a is used twice/);
    expect(() => parseMenu('buttons:\n  - { name: 链接, type: view, url: not-a-url }')).toThrow(MenuFileError);
    expect(() => parseMenu('buttons: [')).toThrow(/not valid YAML/);
    expect(() => readMenuFile('data/no-such-menu.yaml')).toThrow(/cannot be read/);
  });
});

describe('publishing the menu', () => {
  const tokens = () => createAccessTokens({ redis, prefix: `menu${process.pid}${Date.now().toString(36)}`, appId: APPID, secret: SECRET, apiBase: fake.url });

  it('posts the menu to menu/create, fetching a token, and retries once with a fresh token after 40001', async () => {
    const menu = readMenuFile('data/wechat-menu.yaml');
    const t = tokens();
    await publishMenu(menu, t, fake.url);
    fake.invalidateTokens();
    await publishMenu(menu, t, fake.url);
    const creates = fake.requests.filter((r) => r.endpoint === 'menu_create');
    expect(creates.map((r) => r.answer.errcode)).toEqual([0, 40001, 0]);
    expect(creates[0]!.body).toEqual(menu.body);
  });

  it('reports WeChat’s refusal with its code', async () => {
    fake.failNext(48001, 1, 'menu_create');
    await expect(publishMenu(readMenuFile('data/wechat-menu.yaml'), tokens(), fake.url)).rejects.toThrow(WeChatApiError);
  });
});
