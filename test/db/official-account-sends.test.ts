import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  claimCustomerService,
  holdSubscribeCredit,
  markAllowanceRefused,
  recordCustomerServicePart,
  releaseSubscribeCredit,
} from '../../src/db/official-account-sends-repository.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { touchIdentity } from '../../src/db/people-repository.ts';
import { grantSubscribeCredits, subscribeCreditsOf } from '../../src/db/subscribe-credits-repository.ts';

const dir = mkdtempSync(join(tmpdir(), 'daiban-oa-sends-'));
const database = openDatabase(join(dir, 'sends.db'));
// A second connection to the same file: another worker process.
const other = openDatabase(join(dir, 'sends.db'));
afterAll(() => {
  other.close();
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

const HOUR = 3_600_000;
const wrote = (openId: string, at: number) => database.write(() => touchIdentity(database, 'official-account', openId, at));

describe('customer-service allowance', () => {
  it("allows five sends within 48 hours of the follower's message, counted across processes", () => {
    wrote('o-a', 1000);
    const claims = [1, 2, 3, 4, 5, 6].map(
      (n) => claimCustomerService(n % 2 ? database : other, { openId: 'o-a', dedupeKey: `a-${n}`, parts: 1, now: 2000 + n }).kind,
    );
    expect(claims).toEqual(['claimed', 'claimed', 'claimed', 'claimed', 'claimed', 'no_window']);
    // A retry of a claimed message reuses its claim.
    expect(claimCustomerService(other, { openId: 'o-a', dedupeKey: 'a-3', parts: 1, now: 3000 })).toEqual({ kind: 'claimed', partsSent: 0 });
    // A message from the follower (past the 10-minute resolution) starts a new allowance.
    wrote('o-a', 1000 + 11 * 60_000);
    expect(claimCustomerService(database, { openId: 'o-a', dedupeKey: 'a-6', parts: 1, now: 1000 + 12 * 60_000 }).kind).toBe('claimed');
  });

  it('counts each part of a long text, remembers the parts sent, and refuses outside the window', () => {
    wrote('o-b', 0);
    expect(claimCustomerService(database, { openId: 'o-b', dedupeKey: 'b-1', parts: 3, now: 10 }).kind).toBe('claimed');
    recordCustomerServicePart(database, 'b-1', 2);
    expect(claimCustomerService(other, { openId: 'o-b', dedupeKey: 'b-1', parts: 3, now: 20 })).toEqual({ kind: 'claimed', partsSent: 2 });
    expect(claimCustomerService(database, { openId: 'o-b', dedupeKey: 'b-2', parts: 3, now: 30 })).toMatchObject({
      kind: 'no_window',
      reason: '3 of 5 customer-service messages used since the follower last wrote',
    });
    recordCustomerServicePart(database, 'b-1', 3);
    expect(claimCustomerService(database, { openId: 'o-b', dedupeKey: 'b-1', parts: 3, now: 40 })).toEqual({ kind: 'done' });
    expect(claimCustomerService(database, { openId: 'o-b', dedupeKey: 'b-3', parts: 1, now: 48 * HOUR })).toMatchObject({
      kind: 'no_window',
      reason: 'the follower last wrote more than 48 hours ago',
    });
    expect(claimCustomerService(database, { openId: 'o-never', dedupeKey: 'n-1', parts: 1, now: 1 })).toMatchObject({ kind: 'no_window' });
    wrote('o-off', 0);
    expect(claimCustomerService(database, { openId: 'o-off', dedupeKey: 'off-1', parts: 1, now: 1, allowance: 0 })).toMatchObject({
      kind: 'no_window',
      reason: expect.stringContaining('turned off') as string,
    });
  });

  it('after WeChat refused (45015/45047) counts the whole allowance until the follower writes again', () => {
    wrote('o-c', 0);
    expect(claimCustomerService(database, { openId: 'o-c', dedupeKey: 'c-1', parts: 1, now: 10 }).kind).toBe('claimed');
    markAllowanceRefused(database, 'c-1');
    expect(claimCustomerService(database, { openId: 'o-c', dedupeKey: 'c-1', parts: 1, now: 11 }).kind).toBe('no_window');
    expect(claimCustomerService(database, { openId: 'o-c', dedupeKey: 'c-2', parts: 1, now: 12 }).kind).toBe('no_window');
    wrote('o-c', 11 * 60_000);
    expect(claimCustomerService(database, { openId: 'o-c', dedupeKey: 'c-2', parts: 1, now: 12 * 60_000 }).kind).toBe('claimed');
  });

  it('after only a follow, scan or menu click allows 3 sends within that minute, and none after it', () => {
    const acted = (openId: string, at: number) => database.write(() => touchIdentity(database, 'official-account', openId, at, 'event'));
    const identity = acted('o-e', 0);
    expect(identity).toMatchObject({ lastEventAt: 0, lastMessageAt: null });
    const claims = [1, 2, 3, 4].map((n) => claimCustomerService(n % 2 ? database : other, { openId: 'o-e', dedupeKey: `e-${n}`, parts: 1, now: n * 10_000 }));
    expect(claims.map((c) => c.kind)).toEqual(['claimed', 'claimed', 'claimed', 'no_window']);
    expect(claims[3]).toMatchObject({ reason: '3 of 3 customer-service messages used since the follow, scan or click' });
    expect(claimCustomerService(database, { openId: 'o-e', dedupeKey: 'e-5', parts: 1, now: 60_000 })).toMatchObject({
      kind: 'no_window',
      reason: expect.stringContaining('never wrote') as string,
    });
    // A click a while later opens a new minute; a written message then opens the 48-hour allowance.
    acted('o-e', 5 * 60_000);
    expect(claimCustomerService(database, { openId: 'o-e', dedupeKey: 'e-6', parts: 2, now: 5 * 60_000 + 1 }).kind).toBe('claimed');
    expect(claimCustomerService(database, { openId: 'o-e', dedupeKey: 'e-7', parts: 2, now: 5 * 60_000 + 2 }).kind).toBe('no_window');
    expect(wrote('o-e', 5 * 60_000 + 3)).toMatchObject({ lastMessageAt: 5 * 60_000 + 3, lastEventAt: 5 * 60_000 });
    expect(claimCustomerService(database, { openId: 'o-e', dedupeKey: 'e-7', parts: 2, now: 10 * HOUR }).kind).toBe('claimed');
    expect(claimCustomerService(database, { openId: 'o-e', dedupeKey: 'e-8', parts: 4, now: 10 * HOUR }).kind).toBe('no_window');
  });
});

describe('subscribe credits held per message', () => {
  const key = { openId: 'o-s', templateId: 'SUB', dedupeKey: 's-1', now: 5 };
  const credits = () => subscribeCreditsOf(database, 'official-account', 'o-s')[0]?.credits ?? 0;

  it('takes one credit per message however often it is retried, gives it back on release, and clears all on 43101', () => {
    expect(holdSubscribeCredit(database, 'official-account', key)).toEqual({ kind: 'none' });
    database.write(() => grantSubscribeCredits(database, { app: 'official-account', openId: 'o-s', templateId: 'SUB' }, 2, 1));
    expect(holdSubscribeCredit(database, 'official-account', key)).toEqual({ kind: 'held', sent: false });
    expect(holdSubscribeCredit(other, 'official-account', key)).toEqual({ kind: 'held', sent: false });
    expect(credits()).toBe(1);
    releaseSubscribeCredit(database, 'official-account', { ...key, refusal: 'unused' });
    releaseSubscribeCredit(database, 'official-account', { ...key, refusal: 'unused' });
    expect(credits()).toBe(2);
    expect(holdSubscribeCredit(database, 'official-account', key)).toEqual({ kind: 'held', sent: false });
    expect(credits()).toBe(1);
    // WeChat: no subscription for this template after all (43101): the credit left is not real either.
    releaseSubscribeCredit(database, 'official-account', { ...key, refusal: 'no_subscription' });
    expect(credits()).toBe(0);
  });
});
