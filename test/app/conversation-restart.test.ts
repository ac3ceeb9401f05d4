import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/test-app.ts';

const dir = mkdtempSync(join(tmpdir(), 'daiban-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a half-finished request', () => {
  it('survives a restart of the process and goes on where it stopped', async () => {
    const env = { SQLITE_PATH: join(dir, 'daiban.db') };
    const before = await startTestApp({ env });
    await before.say('liu-fang', '宅基地建房');
    const [entrustment] = await before.say('liu-fang', '1').then(() => before.say('liu-fang', '1'));
    expect(entrustment).toContain('【代办委托】');
    await before.close();

    // A new process on the same database, days later.
    const after = await startTestApp({ env, roster: false });
    after.clock.now = before.clock.now + 2 * 24 * 3_600_000;
    const [notice] = await after.say('liu-fang', '同意');
    expect(notice).toContain('【一次性告知】');
    const [summary] = await after.say('liu-fang', '知道了');
    expect(summary).toContain('请核对');
    const [created] = await after.say('liu-fang', '1');
    expect(created).toMatch(/回执号：DB\d{9}/);
    await after.close();
  });
});
