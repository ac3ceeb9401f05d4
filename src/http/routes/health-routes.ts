import type { FastifyInstance } from 'fastify';

/** GET /healthz: 200 when the database and Redis answer, 503 otherwise, with each part's state. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

export function registerHealthRoutes(app: FastifyInstance, checks: readonly HealthCheck[]): void {
  app.get('/healthz', async (_request, reply) => {
    const results = await Promise.all(
      checks.map(async (c) => {
        try {
          await c.check();
          return [c.name, { ok: true }] as const;
        } catch (error) {
          return [c.name, { ok: false, error: error instanceof Error ? error.message : String(error) }] as const;
        }
      }),
    );
    const ok = results.every(([, r]) => r.ok);
    const report: Record<string, { ok: boolean; error?: string }> = {};
    for (const [name, r] of results) report[name] = r;
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks: report });
  });
}
