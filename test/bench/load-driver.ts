import { Pool } from 'undici';

/**
 * Closed-loop load: N virtual users, each sending its next request as soon as the previous one
 * answered, for a warm-up and then a measured period. Latency is measured per request.
 */

export interface LoadResult {
  requests: number;
  seconds: number;
  latencies: number[];
  errors: number;
  errorSamples: string[];
}

export interface LoadPlan {
  url: string;
  path: string;
  headers: Record<string, string>;
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
  /** The body of a virtual user's next request (with its own path when the path changes), or null when it has nothing more to send. */
  body(vu: number, step: number): string | { path: string; body: string } | null;
  check(status: number, text: string, vu: number, step: number): boolean;
  /** Told when the measured period starts and ends (e.g. to read the server's CPU time). */
  onMeasure?(phase: 'start' | 'end'): void;
}

export const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

export async function drive(plan: LoadPlan): Promise<LoadResult> {
  const pool = new Pool(plan.url, { connections: plan.concurrency, pipelining: 1 });
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let requests = 0;
  let errors = 0;
  let measuring = false;
  let stop = false;
  const vu = async (id: number) => {
    for (let step = 0; !stop; step++) {
      const next = plan.body(id, step);
      if (next === null) return;
      const { path, body } = typeof next === 'string' ? { path: plan.path, body: next } : next;
      const started = performance.now();
      const r = await pool.request({ method: 'POST', path, headers: plan.headers, body });
      const text = await r.body.text();
      const ms = performance.now() - started;
      if (!plan.check(r.statusCode, text, id, step)) {
        errors++;
        if (errorSamples.length < 3) errorSamples.push(`${r.statusCode} ${text.slice(0, 200)}`);
      }
      if (measuring) {
        latencies.push(ms);
        requests++;
      }
    }
  };
  const running = Array.from({ length: plan.concurrency }, (_, i) => vu(i));
  await new Promise((r) => setTimeout(r, plan.warmupSeconds * 1000));
  measuring = true;
  plan.onMeasure?.('start');
  const t0 = performance.now();
  await Promise.race([new Promise((r) => setTimeout(r, plan.seconds * 1000)), Promise.all(running)]);
  measuring = false;
  plan.onMeasure?.('end');
  const seconds = (performance.now() - t0) / 1000;
  stop = true;
  await Promise.all(running);
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { requests, seconds, latencies, errors, errorSamples };
}

export function report(name: string, r: LoadResult): number {
  const rate = r.requests / r.seconds;
  console.log(
    `${name.padEnd(40)} ${rate.toFixed(0).padStart(7)} /s   median ${percentile(r.latencies, 50).toFixed(2).padStart(6)} ms   p99 ${percentile(r.latencies, 99).toFixed(2).padStart(6)} ms   errors ${r.errors}`,
  );
  for (const sample of r.errorSamples) console.log(`    e.g. ${sample}`);
  return rate;
}
