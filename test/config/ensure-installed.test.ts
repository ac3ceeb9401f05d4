import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** scripts/ensure-installed.mjs trusts npm's record of what is installed; it installs only what is missing. */

const dir = mkdtempSync(join(tmpdir(), 'daiban-install-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const locked = {
  '': { name: 'x' },
  'node_modules/fastify': { version: '5.12.8' },
  'node_modules/vitest': { version: '4.1.12', dev: true },
  'node_modules/@esbuild/darwin-arm64': { version: '0.28.2', optional: true },
};

/** A project folder with this lock file and this record of installed packages; runs the script there without npm on PATH. */
function run(installed: Record<string, object> | null, args: string[] = []) {
  const cwd = mkdtempSync(join(dir, 'p-'));
  writeFileSync(join(cwd, 'package-lock.json'), JSON.stringify({ packages: locked }));
  if (installed) {
    mkdirSync(join(cwd, 'node_modules'));
    writeFileSync(join(cwd, 'node_modules/.package-lock.json'), JSON.stringify({ packages: installed }));
  }
  return spawnSync(process.execPath, [resolve('scripts/ensure-installed.mjs'), ...args], { cwd, env: { PATH: '' }, encoding: 'utf8' });
}

describe('ensure-installed', () => {
  it('does nothing when npm’s record holds every locked package (optional ones for other platforms may be absent)', () => {
    const r = run({ 'node_modules/fastify': { version: '5.12.8' }, 'node_modules/vitest': { version: '4.1.12' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('installs when a package is missing or at another version', () => {
    const records: (Record<string, object> | null)[] = [
      null,
      { 'node_modules/fastify': { version: '5.12.8' } },
      { 'node_modules/fastify': { version: '5.11.0' }, 'node_modules/vitest': { version: '4.1.12' } },
    ];
    for (const installed of records) {
      const r = run(installed);
      expect(r.stdout).toContain('Installing dependencies');
      // npm is not on this PATH: the install fails and says so.
      expect(r.status).not.toBe(0);
    }
  });

  it('with --prod, does not need the development packages', () => {
    const r = run({ 'node_modules/fastify': { version: '5.12.8' } }, ['--prod']);
    expect(r.status).toBe(0);
  });
});
