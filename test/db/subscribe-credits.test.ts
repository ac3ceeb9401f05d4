import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';
import { grantSubscribeCredits, returnSubscribeCredit, subscribeCreditsOf, takeSubscribeCredit } from '../../src/db/subscribe-credits-repository.ts';

const dir = mkdtempSync(join(tmpdir(), 'daiban-credits-'));
const database = openDatabase(join(dir, 'credits.db'));
afterAll(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('subscribe-message credits', () => {
  const key = { app: 'mini-program' as const, openId: 'o-credit-1', templateId: 'TPL-progress' };

  it('one accept is one send, per app, user and template', () => {
    expect(takeSubscribeCredit(database, key, 1)).toBe(false);
    expect(grantSubscribeCredits(database, key, 1, 2)).toBe(1);
    expect(grantSubscribeCredits(database, key, 2, 3)).toBe(3);
    // The same OpenID under the other app, and another template, have nothing.
    expect(takeSubscribeCredit(database, { ...key, app: 'official-account' }, 4)).toBe(false);
    expect(takeSubscribeCredit(database, { ...key, templateId: 'TPL-other' }, 4)).toBe(false);
    expect([
      takeSubscribeCredit(database, key, 5),
      takeSubscribeCredit(database, key, 5),
      takeSubscribeCredit(database, key, 5),
      takeSubscribeCredit(database, key, 5),
    ]).toEqual([true, true, true, false]);
    expect(subscribeCreditsOf(database, 'mini-program', key.openId)).toEqual([{ templateId: 'TPL-progress', credits: 0 }]);
  });

  it('gives back a credit a refused send did not use, and refuses nonsense counts', () => {
    const other = { ...key, openId: 'o-credit-2' };
    grantSubscribeCredits(database, other, 1, 1);
    expect(takeSubscribeCredit(database, other, 2)).toBe(true);
    returnSubscribeCredit(database, other, 3);
    expect(subscribeCreditsOf(database, 'mini-program', other.openId)).toEqual([{ templateId: 'TPL-progress', credits: 1 }]);
    expect(() => grantSubscribeCredits(database, other, 0, 4)).toThrow(RangeError);
    expect(() => grantSubscribeCredits(database, other, 1.5, 4)).toThrow(RangeError);
  });
});
