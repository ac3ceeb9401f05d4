import type { Job, Queue } from 'bullmq';

/**
 * Waits until a job has finished and returns its result (`failed: <reason>` when it failed, `gone`
 * when it was removed). The state is read before the job: a job read before it finished has no
 * result yet.
 */
export async function jobResult(queue: Queue, job: Pick<Job, 'id'>): Promise<unknown> {
  for (let i = 0; i < 200; i++) {
    const state = await queue.getJobState(job.id ?? '');
    const fresh = (await queue.getJob(job.id ?? '')) as Job | undefined;
    if (!fresh) return 'gone';
    if (state === 'completed') return fresh.returnvalue as unknown;
    if (state === 'failed') return `failed: ${fresh.failedReason}`;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${job.id ?? '?'} did not finish`);
}
