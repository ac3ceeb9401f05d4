import { describe, expect, it } from 'vitest';
import { loadConfig, redactConfig } from '../../src/config/config.ts';

const base = { ADMIN_TOKEN: 'a-long-enough-admin-token' };
const appId = 'wxa1b2c3d4e5f60718';
const secret = 'mpsecret0123456789abcdef01234567';

describe('the mini-program keys', () => {
  it('turn the API on only with AppID and secret, default the session to 7 days, and redact the secret', () => {
    const off = loadConfig(base);
    expect(off.ok && off.config.miniProgram).toBeNull();
    const on = loadConfig({ ...base, WECHAT_MP_APPID: appId, WECHAT_MP_SECRET: secret, WECHAT_API_BASE: 'http://127.0.0.1:9/' });
    expect(on.ok && on.config.miniProgram).toEqual({
      appId,
      secret,
      apiBase: 'http://127.0.0.1:9',
      sessionMs: 7 * 86_400_000,
      templatesPath: null,
      state: 'formal',
    });
    expect(on.ok && JSON.stringify(redactConfig(on.config))).not.toContain(secret);
    const days = loadConfig({ ...base, WECHAT_MP_APPID: appId, WECHAT_MP_SECRET: secret, WECHAT_MP_SESSION_DAYS: '30' });
    expect(days.ok && days.config.miniProgram?.sessionMs).toBe(30 * 86_400_000);
  });

  it('take the subscribe templates file and the version subscribe messages open', () => {
    const on = loadConfig({ ...base, WECHAT_MP_APPID: appId, WECHAT_MP_SECRET: secret, WECHAT_MP_TEMPLATES_PATH: 'data/mp.yaml', WECHAT_MP_STATE: 'trial' });
    expect(on.ok && on.config.miniProgram).toMatchObject({ templatesPath: 'data/mp.yaml', state: 'trial' });
  });

  it('report a half configuration and bad values together', () => {
    const problems = (env: Record<string, string>) => {
      const r = loadConfig({ ...base, ...env });
      return r.ok ? [] : r.problems.map((p) => p.split(':')[0]);
    };
    expect(problems({ WECHAT_MP_APPID: appId })).toEqual(['WECHAT_MP_APPID, WECHAT_MP_SECRET']);
    expect(problems({ WECHAT_MP_SECRET: secret })).toEqual(['WECHAT_MP_APPID, WECHAT_MP_SECRET']);
    expect(problems({ WECHAT_MP_APPID: 'gh_123', WECHAT_MP_SECRET: 'short', WECHAT_MP_SESSION_DAYS: '0' })).toEqual([
      'WECHAT_MP_APPID',
      'WECHAT_MP_SECRET',
      'WECHAT_MP_SESSION_DAYS',
    ]);
    expect(problems({ WECHAT_MP_TEMPLATES_PATH: 'data/mp.yaml' })).toEqual(['WECHAT_MP_APPID']);
    expect(problems({ WECHAT_MP_APPID: appId, WECHAT_MP_SECRET: secret, WECHAT_MP_STATE: 'production' })).toEqual(['WECHAT_MP_STATE']);
  });
});

describe('HTTP_TRUST_PROXY', () => {
  it('is off by default and takes hops or proxy addresses', () => {
    const trust = (value?: string) => {
      const r = loadConfig({ ...base, ...(value === undefined ? {} : { HTTP_TRUST_PROXY: value }) });
      return r.ok ? r.config.trustProxy : r.problems;
    };
    expect(trust()).toBe(false);
    expect(trust('1')).toBe(1);
    expect(trust('127.0.0.1, 10.0.0.0/8,loopback')).toEqual(['127.0.0.1', '10.0.0.0/8', 'loopback']);
    expect(trust('everyone')).toEqual([expect.stringMatching(/^HTTP_TRUST_PROXY: must be false, a number of proxy hops/)]);
  });
});
