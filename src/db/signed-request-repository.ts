import type { Database } from './open-database.ts';
import { statement } from './statement-cache.ts';

/** Claiming a signed request's one-use key (see schema/signed-requests.ts). Call inside a write transaction. */

export interface OneUseKey {
  key: string;
  /** A digest of the body the key came with. */
  digest: string;
  /** Until when the key could be presented again (its timestamp's last accepted moment). */
  expiresAt: number;
}

export type OneUseVerdict = 'fresh' | 'redelivery' | 'replay';

/** The stored key: its expiry first (fixed width), so that keys sort by time. */
const storedKey = (expiresAt: number, key: string) => `${String(Math.max(0, Math.floor(expiresAt))).padStart(15, '0')}:${key}`;

/** Expired keys are deleted every this many claims: one range at the front of the table. */
const PRUNE_EVERY = 256;
const claims = new WeakMap<object, number>();

export function claimOneUseKey(database: Database, key: OneUseKey, now: number): OneUseVerdict {
  const count = (claims.get(database.sqlite) ?? 0) + 1;
  claims.set(database.sqlite, count);
  if (count % PRUNE_EVERY === 0) statement<[string]>(database, 'DELETE FROM signed_requests WHERE key < ?').run(storedKey(now, ''));
  const stored = storedKey(key.expiresAt, key.key);
  const inserted = statement<[string, string], { key: string }>(
    database,
    'INSERT INTO signed_requests (key, digest) VALUES (?, ?) ON CONFLICT (key) DO NOTHING RETURNING key',
  ).get(stored, key.digest);
  if (inserted) return 'fresh';
  // A key is presented only while its timestamp is accepted, so a stored one has not expired.
  const before = statement<[string], { digest: string }>(database, 'SELECT digest FROM signed_requests WHERE key = ?').get(stored);
  return before?.digest === key.digest ? 'redelivery' : 'replay';
}
