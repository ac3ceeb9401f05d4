import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from './open-database.ts';

/**
 * Prepared statements kept per connection, for the queries on the path of every chat message.
 * drizzle builds and prepares a statement on each call, which costs more than the query itself at
 * thousands of messages a second; these few are written in SQL once and reused. Everything else
 * goes through drizzle.
 */

const caches = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

export function statement<P extends unknown[] = unknown[], R = unknown>(database: Database, sql: string): BetterSqlite3.Statement<P, R> {
  let cache = caches.get(database.sqlite);
  if (!cache) {
    cache = new Map();
    caches.set(database.sqlite, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = database.sqlite.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt as BetterSqlite3.Statement<P, R>;
}
