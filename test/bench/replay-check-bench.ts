import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { oneUseKeyOf } from '../../src/channels/official-account/one-use-key.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { claimOneUseKey } from '../../src/db/signed-request-repository.ts';

/**
 * What the Official Account's replay check costs, as CPU time: the server's CPU per plain-mode push is
 * read from /proc during the plain run; the check alone — a one-use key made from the query and body,
 * claimed in SQLite, committed in batches as the group commit does — is then run here on a database
 * with the real migrations. Throughput runs on this machine vary by a third from one run to the next;
 * CPU per message varies much less.
 */

/** A process's CPU time so far, in µs (user + system, from /proc; 100 ticks a second). */
export function processCpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
}

/** CPU µs per replay check, including its share of the commits. */
export function replayCheckCost(o: { dir: string; checks: number; batch: number; body: string }): number {
  const database = openDatabase(join(o.dir, 'replay-check.db'));
  try {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const run = (from: number, count: number) => {
      for (let i = from; i < from + count; i += o.batch) {
        database.write(() => {
          for (let j = i; j < Math.min(i + o.batch, from + count); j++) claimOneUseKey(database, oneUseKeyOf({ timestamp, nonce: `${j}${Math.floor(Math.random() * 1e6)}` }, o.body), Date.now());
        });
      }
    };
    run(0, 2000);
    const cpu = process.cpuUsage();
    run(2000, o.checks);
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / o.checks;
  } finally {
    database.sqlite.close();
  }
}
