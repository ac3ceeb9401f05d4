import { describe, expect, it } from 'vitest';
import { parseRobotBindings } from '../../src/config/channel-config.ts';
import { loadConfig, redactConfig } from '../../src/config/config.ts';

const base = { ADMIN_TOKEN: 'a-very-long-admin-token' };
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const SECRET = 'wecomSecret_0123456789-abcdefABCDEF';
const app = { WECOM_CORP_ID: 'ww0123456789abcdef', WECOM_AGENT_ID: '1000002', WECOM_SECRET: SECRET };
const ROBOT_KEY = '693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa';

describe('WeCom configuration', () => {
  it('is off without its keys', () => {
    const r = loadConfig(base);
    expect(r.ok && r.config.wecom).toBeNull();
    expect(r.ok && r.config.wecomRobots).toBeNull();
  });

  it('turns the app on with CorpID, AgentId and Secret, and its callback with the token and the AES keys', () => {
    const sending = loadConfig({ ...base, ...app });
    expect(sending.ok && sending.config.wecom).toEqual({
      corpId: 'ww0123456789abcdef',
      agentId: 1000002,
      secret: SECRET,
      apiBase: 'https://qyapi.weixin.qq.com',
      callback: null,
    });
    const previous = 'A'.repeat(43);
    const full = loadConfig({
      ...base,
      ...app,
      WECOM_TOKEN: 'tok123',
      WECOM_ENCODING_AES_KEY: KEY,
      WECOM_ENCODING_AES_KEY_PREVIOUS: previous,
      WECOM_API_BASE: 'http://127.0.0.1:9/',
    });
    expect(full.ok && full.config.wecom).toMatchObject({ apiBase: 'http://127.0.0.1:9', callback: { token: 'tok123', encodingAesKeys: [KEY, previous] } });
    const redacted = full.ok ? JSON.stringify(redactConfig(full.config)) : '';
    for (const secret of [SECRET, 'tok123', KEY, previous]) expect(redacted).not.toContain(secret);
  });

  it('lists every missing or malformed piece at once', () => {
    const r = loadConfig({ ...base, WECOM_TOKEN: 'tok123', WECOM_AGENT_ID: 'abc', WECOM_ENCODING_AES_KEY_PREVIOUS: KEY });
    expect(r.ok).toBe(false);
    const problems = r.ok ? '' : r.problems.join('\n');
    for (const key of ['WECOM_AGENT_ID', 'WECOM_CORP_ID', 'WECOM_SECRET', 'WECOM_ENCODING_AES_KEY:', 'WECOM_ENCODING_AES_KEY_PREVIOUS'])
      expect(problems).toContain(key);
  });

  it('binds rooms to robots as room=key pairs, several rooms to one robot allowed, keys redacted', () => {
    const r = loadConfig({ ...base, WECOM_ROBOTS: `sq-agents=${ROBOT_KEY}, lw-agents=${ROBOT_KEY}\nqs-centre = ${ROBOT_KEY.replace('693a', '7777')}` });
    expect(r.ok && r.config.wecomRobots).toEqual({
      apiBase: 'https://qyapi.weixin.qq.com',
      robots: [
        { room: 'sq-agents', key: ROBOT_KEY },
        { room: 'lw-agents', key: ROBOT_KEY },
        { room: 'qs-centre', key: ROBOT_KEY.replace('693a', '7777') },
      ],
    });
    expect(r.ok && JSON.stringify(redactConfig(r.config))).not.toContain('0ec2sifa5aaa');
  });

  it('refuses robot bindings that are not room=key, or bind a room twice', () => {
    expect(parseRobotBindings(`sq-agents=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${ROBOT_KEY}`)).toMatch(/must be room=key/);
    expect(parseRobotBindings(`sq-agents`)).toMatch(/must be room=key/);
    expect(parseRobotBindings(`a=${ROBOT_KEY},a=${ROBOT_KEY}`)).toMatch(/twice/);
    const r = loadConfig({ ...base, WECOM_ROBOTS: 'sq-agents=short' });
    expect(r.ok ? [] : r.problems).toEqual([expect.stringMatching(/^WECOM_ROBOTS: /)]);
  });
});
