import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('starting with a bad configuration', () => {
  it('lists every problem at once and exits non-zero, before touching anything', () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, HTTP_PORT: 'eighty', SIMULATOR_ENABLED: 'perhaps', LOG_LEVEL: 'chatty' };
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(1);
    for (const key of ['ADMIN_TOKEN', 'HTTP_PORT', 'SIMULATOR_ENABLED', 'LOG_LEVEL']) expect(r.stderr, key).toContain(key);
    expect(r.stderr).toContain('4 problem(s)');
  });
});
