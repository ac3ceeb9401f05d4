import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { oneUseKeyOf } from '../../src/channels/official-account/one-use-key.ts';
import { composeDaiban } from '../../src/compose.ts';
import { loadConfig } from '../../src/config/config.ts';

/**
 * What the Official Account's replay check costs. Throughput runs on this machine vary by a third
 * from one run to the next, so the check is measured as CPU time, paired: the same messages go
 * through the real inbound handler (real SQLite, group commit in bursts) with and without their
 * one-use key, in alternating bursts in one process; the difference is the check's cost, set against
 * the server's CPU per plain-mode push read from /proc during the plain run.
 */

/** A process's CPU time so far, in µs (user + system, from /proc; 100 ticks a second). */
export function processCpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
}

export async function replayCheckCost(o: {
  dir: string;
  redisUrl: string;
  bursts: number;
  burst: number;
  senders: readonly string[];
  text: string;
}): Promise<{ withKey: number; withoutKey: number }> {
  const loaded = loadConfig({
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
    SQLITE_PATH: join(o.dir, 'replay-check.db'),
    BULLMQ_PREFIX: `benchreplay${process.pid}`,
    LOG_LEVEL: 'silent',
  });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const daiban = await composeDaiban({
    config: loaded.config,
    redisUrl: o.redisUrl,
    logger: pino({ level: 'silent' }),
    worker: false,
    bot: false,
    sweepEveryMs: 0,
  });
  try {
    let n = 0;
    const burst = async (withKey: boolean) => {
      const cpu = process.cpuUsage();
      await Promise.all(
        Array.from({ length: o.burst }, () => {
          n += 1;
          const now = Date.now();
          const timestamp = String(Math.floor(now / 1000));
          const body = `<xml><MsgId>${n}</MsgId><Content>${o.text}</Content></xml>`;
          return daiban.inbound.submit({
            channel: 'official-account',
            senderId: o.senders[n % o.senders.length] ?? 'nobody',
            roomId: null,
            text: o.text,
            messageId: `bench-${n}`,
            mentionsBot: false,
            receivedAt: now,
            ...(withKey ? { oneUse: oneUseKeyOf({ timestamp, nonce: `${n}${Math.floor(Math.random() * 1e6)}` }, body) } : {}),
          });
        }),
      );
      const used = process.cpuUsage(cpu);
      return used.user + used.system;
    };
    // Bursts with and without the key alternate, so that drift (the database growing, the machine) falls on both alike.
    const total = { withKey: 0, withoutKey: 0 };
    for (let i = 0; i < 200; i++) await burst(i % 2 === 0);
    for (let i = 0; i < o.bursts; i++) {
      total.withKey += await burst(true);
      total.withoutKey += await burst(false);
    }
    return { withKey: total.withKey / (o.bursts * o.burst), withoutKey: total.withoutKey / (o.bursts * o.burst) };
  } finally {
    await daiban.close();
  }
}
