import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';
import { claimOneUseKey } from '../../src/db/signed-request-repository.ts';

const dir = mkdtempSync(join(tmpdir(), 'daiban-signed-'));
const database = openDatabase(join(dir, 'daiban.db'));
afterAll(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

const claim = (key: string, digest: string, now: number, expiresAt = 60_000) => database.write(() => claimOneUseKey(database, { key, digest, expiresAt }, now));

describe('claimOneUseKey', () => {
  it('tells a fresh key, a re-delivery with the same body and a replay with another', () => {
    expect(claim('k1', 'a', 1000)).toBe('fresh');
    expect(claim('k1', 'a', 2000)).toBe('redelivery');
    expect(claim('k1', 'b', 3000)).toBe('replay');
    expect(claim('k2', 'b', 3000)).toBe('fresh');
  });
  it('prunes expired keys as it goes, in time order', () => {
    for (let i = 0; i < 300; i++) claim(`bulk-${i}`, 'x', 100_000, 100_001);
    const keys = (database.sqlite.prepare('SELECT key FROM signed_requests').all() as { key: string }[]).map((r) => r.key);
    // k1 and k2 expired at 60,000: gone; the bulk keys remain, sorted by expiry first.
    expect(keys.some((k) => k.endsWith(':k1') || k.endsWith(':k2'))).toBe(false);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.startsWith('000000000100001:'))).toBe(true);
  });
});
