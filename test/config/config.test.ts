import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envKeys, loadConfig, redactConfig } from '../../src/config/config.ts';

const token = 'a-long-enough-admin-token';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const r = loadConfig({ ADMIN_TOKEN: token });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.http).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(r.config.sqlitePath).toBe('./data/daiban.db');
    expect(r.config.redisUrl).toBeUndefined();
    expect(r.config.simulatorEnabled).toBe(false);
    expect(r.config.logLevel).toBe('info');
    expect(r.config.deadlines.deliveryDays).toBe(3);
  });

  it('reads every contract key', () => {
    const r = loadConfig({
      ADMIN_TOKEN: token,
      HTTP_HOST: '0.0.0.0',
      HTTP_PORT: '8080',
      SQLITE_PATH: '/var/lib/daiban/db.sqlite',
      REDIS_URL: 'redis://10.0.0.5:6380',
      SIMULATOR_ENABLED: 'true',
      LOG_LEVEL: 'warn',
    });
    expect(r.ok && r.config).toMatchObject({
      http: { host: '0.0.0.0', port: 8080 },
      sqlitePath: '/var/lib/daiban/db.sqlite',
      redisUrl: 'redis://10.0.0.5:6380',
      simulatorEnabled: true,
      logLevel: 'warn',
    });
  });

  it('reads the process role and the sending limits', () => {
    const roles = (ROLE?: string) => {
      const r = loadConfig({ ADMIN_TOKEN: token, ...(ROLE === undefined ? {} : { ROLE }) });
      return r.ok ? r.config.roles : r.problems;
    };
    expect(roles()).toEqual({ web: true, worker: true, bot: false });
    expect(roles('web')).toEqual({ web: true, worker: false, bot: false });
    expect(roles('worker')).toEqual({ web: false, worker: true, bot: false });
    expect(roles('web, worker')).toEqual({ web: true, worker: true, bot: false });
    expect(roles('bots')).toEqual(['ROLE: must be all, web, worker, bot, or a list such as web,worker']);
    expect(roles('bot')).toEqual(['WECHATY_PUPPET: is required when ROLE includes bot (the bot role runs the personal-WeChat session)']);
    const withPuppet = (ROLE?: string) => {
      const r = loadConfig({ ADMIN_TOKEN: token, WECHATY_PUPPET: 'wechaty-puppet-mock', ...(ROLE === undefined ? {} : { ROLE }) });
      return r.ok ? r.config.roles : r.problems;
    };
    expect(withPuppet()).toEqual({ web: true, worker: true, bot: true });
    expect(withPuppet('bot')).toEqual({ web: false, worker: false, bot: true });
    expect(withPuppet('worker')).toEqual({ web: false, worker: true, bot: false });
    const r = loadConfig({ ADMIN_TOKEN: token, OUTBOX_ROOM_PER_MINUTE: '10', JOB_LOCK_SECONDS: '5' });
    expect(r.ok && r.config).toMatchObject({ outbox: { roomPerMinute: 10, personPerMinute: 20 }, jobLockMs: 5000 });
    expect(loadConfig({ ADMIN_TOKEN: token, OUTBOX_ROOM_PER_MINUTE: '0' }).ok).toBe(false);
  });

  it('lists every problem at once', () => {
    const r = loadConfig({ HTTP_PORT: 'eighty', SIMULATOR_ENABLED: 'maybe', LOG_LEVEL: 'loud', REDIS_URL: 'localhost', DEADLINE_DELIVERY_DAYS: '0' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const keys = r.problems.map((p) => p.split(':')[0]);
    expect(keys).toEqual(expect.arrayContaining(['ADMIN_TOKEN', 'HTTP_PORT', 'SIMULATOR_ENABLED', 'LOG_LEVEL', 'REDIS_URL', 'DEADLINE_DELIVERY_DAYS']));
    expect(r.problems.length).toBeGreaterThanOrEqual(6);
  });

  it('refuses a short admin token and treats empty values as unset', () => {
    expect(loadConfig({ ADMIN_TOKEN: 'short' }).ok).toBe(false);
    const r = loadConfig({ ADMIN_TOKEN: token, HTTP_PORT: '', REDIS_URL: '' });
    expect(r.ok && r.config.http.port).toBe(3000);
    expect(r.ok && r.config.redisUrl).toBeUndefined();
  });

  it('turns the Official Account webhook on only with a token, and redacts the token', () => {
    expect(loadConfig({ ADMIN_TOKEN: token, WECHAT_OA_APPID: 'wx49f0ab532d5d035a' }).ok && loadConfig({ ADMIN_TOKEN: token }).ok).toBe(true);
    const off = loadConfig({ ADMIN_TOKEN: token, WECHAT_OA_APPID: 'wx49f0ab532d5d035a', WECHAT_OA_TOKEN: '' });
    expect(off.ok && off.config.officialAccount).toBeNull();
    const on = loadConfig({ ADMIN_TOKEN: token, WECHAT_OA_APPID: 'wx49f0ab532d5d035a', WECHAT_OA_TOKEN: 'secretToken1' });
    expect(on.ok && on.config.officialAccount).toEqual({
      appId: 'wx49f0ab532d5d035a',
      token: 'secretToken1',
      encodingAesKeys: [],
      menuPath: 'data/wechat-menu.yaml',
      replyBudgetMs: 4000,
    });
    // WeChat waits 5 s: a budget beyond 4.5 s would answer too late to matter.
    const slow = loadConfig({ ADMIN_TOKEN: token, WECHAT_OA_TOKEN: 'secretToken1', WECHAT_OA_REPLY_BUDGET_MS: '5000' });
    expect(!slow.ok && slow.problems[0]).toMatch(/^WECHAT_OA_REPLY_BUDGET_MS/);
    expect(on.ok && JSON.stringify(redactConfig(on.config))).not.toContain('secretToken1');
    const bad = loadConfig({ ADMIN_TOKEN: token, WECHAT_OA_TOKEN: 'has spaces!', WECHAT_OA_APPID: 'gh_123' });
    expect(!bad.ok && bad.problems.map((p) => p.split(':')[0])).toEqual(['WECHAT_OA_APPID', 'WECHAT_OA_TOKEN']);
  });

  it('turns Official Account sending on only with AppID and secret, defaults the API base, and redacts the secret', () => {
    const secret = 'fakeSecret0123456789abcdef012345';
    const off = loadConfig({ ADMIN_TOKEN: token, WECHAT_OA_APPID: 'wx49f0ab532d5d035a' });
    expect(off.ok && off.config.officialAccountOutbound).toBeNull();
    const on = loadConfig({ ADMIN_TOKEN: token, WECHAT_OA_APPID: 'wx49f0ab532d5d035a', WECHAT_OA_SECRET: secret });
    expect(on.ok && on.config.officialAccountOutbound).toEqual({
      appId: 'wx49f0ab532d5d035a',
      secret,
      apiBase: 'https://api.weixin.qq.com',
      templatesPath: null,
      customerServiceAllowance: 5,
    });
    expect(on.ok && JSON.stringify(redactConfig(on.config))).not.toContain(secret);
    const local = loadConfig({
      ADMIN_TOKEN: token,
      WECHAT_OA_APPID: 'wx49f0ab532d5d035a',
      WECHAT_OA_SECRET: secret,
      WECHAT_API_BASE: 'http://127.0.0.1:4567/',
    });
    expect(local.ok && local.config.officialAccountOutbound?.apiBase).toBe('http://127.0.0.1:4567');
    const bad = loadConfig({ ADMIN_TOKEN: token, WECHAT_OA_SECRET: secret, WECHAT_API_BASE: 'api.weixin.qq.com' });
    expect(!bad.ok && bad.problems.map((p) => p.split(':')[0])).toEqual(['WECHAT_API_BASE', 'WECHAT_OA_APPID']);
  });

  it('reads the templates file path and the customer-service allowance, and wants the secret with the templates', () => {
    const secret = 'fakeSecret0123456789abcdef012345';
    const base = { ADMIN_TOKEN: token, WECHAT_OA_APPID: 'wx49f0ab532d5d035a' };
    const on = loadConfig({ ...base, WECHAT_OA_SECRET: secret, WECHAT_OA_TEMPLATES_PATH: './data/wechat-templates.yaml', WECHAT_OA_CS_ALLOWANCE: '0' });
    expect(on.ok && on.config.officialAccountOutbound).toMatchObject({ templatesPath: './data/wechat-templates.yaml', customerServiceAllowance: 0 });
    const bad = loadConfig({ ...base, WECHAT_OA_TEMPLATES_PATH: './t.yaml', WECHAT_OA_CS_ALLOWANCE: '6' });
    expect(!bad.ok && bad.problems).toEqual([
      'WECHAT_OA_CS_ALLOWANCE: must be 0–5',
      'WECHAT_OA_SECRET: is required when WECHAT_OA_TEMPLATES_PATH is set (template and subscribe messages are sent with an access token)',
    ]);
  });

  it('turns the Wechaty channel on only with a puppet, with pacing defaults, and redacts the puppet token', () => {
    expect(loadConfig({ ADMIN_TOKEN: token }).ok && loadConfig({ ADMIN_TOKEN: token })).toMatchObject({ config: { wechaty: null } });
    const on = loadConfig({ ADMIN_TOKEN: token, WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_TOKEN: 'puppet_service_token_123' });
    expect(on.ok && on.config.wechaty).toEqual({
      puppet: 'wechaty-puppet-service',
      token: 'puppet_service_token_123',
      name: 'daiban',
      sendGapMs: 3000,
      jitterMs: 2000,
      dailyCap: 300,
      friendCap: 50,
    });
    expect(on.ok && JSON.stringify(redactConfig(on.config))).not.toContain('puppet_service_token_123');
    const bad = loadConfig({ ADMIN_TOKEN: token, WECHATY_PUPPET: 'wechat4u', WECHATY_DAILY_CAP: '0', WECHATY_SEND_GAP_MS: 'soon' });
    expect(!bad.ok && bad.problems.map((p) => p.split(':')[0])).toEqual(['WECHATY_PUPPET', 'WECHATY_SEND_GAP_MS', 'WECHATY_DAILY_CAP']);
    expect(!bad.ok && bad.problems[0]).toContain('wechaty-puppet-wechat4u');
    const tokenOnly = loadConfig({ ADMIN_TOKEN: token, WECHATY_PUPPET_TOKEN: 'puppet_service_token_123' });
    expect(!tokenOnly.ok && tokenOnly.problems).toEqual(['WECHATY_PUPPET: is required when WECHATY_PUPPET_TOKEN is set']);
  });

  it('turns safe mode on with an EncodingAESKey (and the previous one), requires the AppID with it, and redacts the keys', () => {
    const key = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
    const previous = 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc';
    const base = { ADMIN_TOKEN: token, WECHAT_OA_TOKEN: 'secretToken1', WECHAT_OA_APPID: 'wx49f0ab532d5d035a' };
    const on = loadConfig({ ...base, WECHAT_OA_ENCODING_AES_KEY: key, WECHAT_OA_ENCODING_AES_KEY_PREVIOUS: previous });
    expect(on.ok && on.config.officialAccount?.encodingAesKeys).toEqual([key, previous]);
    const redacted = on.ok ? JSON.stringify(redactConfig(on.config)) : '';
    expect(redacted).not.toContain(key);
    expect(redacted).not.toContain(previous);
    const plain = loadConfig(base);
    expect(plain.ok && plain.config.officialAccount?.encodingAesKeys).toEqual([]);
    const problems = (env: Record<string, string>) => {
      const r = loadConfig({ ...base, ...env });
      return r.ok ? [] : r.problems;
    };
    expect(problems({ WECHAT_OA_ENCODING_AES_KEY: `${key}=` })).toEqual([
      expect.stringMatching(/^WECHAT_OA_ENCODING_AES_KEY: must be the 43-character EncodingAESKey/),
    ]);
    expect(problems({ WECHAT_OA_ENCODING_AES_KEY_PREVIOUS: 'short' })[0]).toMatch(/^WECHAT_OA_ENCODING_AES_KEY_PREVIOUS: must be the 43-character/);
    expect(problems({ WECHAT_OA_APPID: '', WECHAT_OA_ENCODING_AES_KEY: key })).toEqual([
      expect.stringMatching(/^WECHAT_OA_APPID: is required when WECHAT_OA_ENCODING_AES_KEY is set/),
    ]);
    expect(problems({ WECHAT_OA_ENCODING_AES_KEY_PREVIOUS: previous })).toEqual([
      expect.stringMatching(/^WECHAT_OA_ENCODING_AES_KEY_PREVIOUS: is only used next to/),
    ]);
    // Reported together with the problems of single keys.
    expect(problems({ WECHAT_OA_APPID: '', WECHAT_OA_ENCODING_AES_KEY: key, HTTP_PORT: 'x' }).map((p) => p.split(':')[0])).toEqual([
      'HTTP_PORT',
      'WECHAT_OA_APPID',
    ]);
  });

  it('is documented key for key in .env.example', () => {
    const documented = readFileSync('.env.example', 'utf8')
      .split('\n')
      .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
      .filter((k): k is string => Boolean(k));
    expect([...documented].sort()).toEqual([...envKeys].sort());
  });
});
