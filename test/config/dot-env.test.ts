import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withDotEnv } from '../../src/config/dot-env.ts';

const dir = mkdtempSync(join(tmpdir(), 'daiban-dotenv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('withDotEnv', () => {
  it('adds the file’s keys, and the process environment wins', () => {
    const path = join(dir, '.env');
    writeFileSync(path, '# comment\nADMIN_TOKEN=from-the-file-0123456789\nHTTP_PORT=3100\nBOT_NAME="代办 助手"\nEMPTY=\n');
    const env = withDotEnv(path, { HTTP_PORT: '3200' });
    expect(env).toMatchObject({ ADMIN_TOKEN: 'from-the-file-0123456789', HTTP_PORT: '3200', BOT_NAME: '代办 助手', EMPTY: '' });
  });
  it('changes nothing without a file', () => {
    expect(withDotEnv(join(dir, 'missing.env'), { A: '1' })).toEqual({ A: '1' });
  });
});
