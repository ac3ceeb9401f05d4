import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/open-database.ts';
import { deadLetters, outboxById, outboxRouteOf, reviveDeadLetter } from '../../db/outbox-repository.ts';
import { AppError } from '../../errors.ts';
import type { AdminGuard } from '../admin-auth.ts';

/**
 * Dead letters: messages the outbox gave up on (the remote refused for good, every attempt failed,
 * or the channel is not enabled). An admin lists them and sends one again, or all of them.
 */

export interface Redelivery {
  redeliver(outboxIds: readonly number[]): Promise<void>;
}

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().min(1).optional(),
});
const idParams = z.object({ id: z.coerce.number().int().min(1) });

export function registerDeadLetterRoutes(app: FastifyInstance, deps: { database: Database; requireAdmin: AdminGuard; outbox: Redelivery }): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const admin = { preValidation: deps.requireAdmin };
  routes.get('/api/admin/dead-letters', { ...admin, schema: { querystring: listQuery } }, async (request) => {
    const q = request.query;
    const rows = deadLetters(deps.database, { limit: q.limit, ...(q.before ? { beforeId: q.before } : {}) });
    return {
      deadLetters: rows.map((r) => ({
        id: r.id,
        channel: r.channel,
        recipient: r.recipient,
        room: r.room,
        text: r.text,
        errandId: r.errandId,
        attempts: r.attempts,
        lastError: r.lastError,
        createdAt: new Date(r.createdAt).toISOString(),
      })),
    };
  });

  /** One outbox message: its state, its last error, and the route that delivered it (channels with several ways record one). */
  routes.get('/api/admin/outbox/:id', { ...admin, schema: { params: idParams } }, async (request) => {
    const { id } = request.params;
    const row = outboxById(deps.database, id);
    if (!row) throw new AppError('not_found', `outbox message ${id} does not exist`);
    const route = outboxRouteOf(deps.database, id);
    return {
      id: row.id,
      channel: row.channel,
      status: row.status,
      errandId: row.errandId,
      attempts: row.attempts,
      lastError: row.lastError,
      createdAt: new Date(row.createdAt).toISOString(),
      sentAt: row.sentAt === null ? null : new Date(row.sentAt).toISOString(),
      route: route ? { route: route.route, detail: route.detail, at: new Date(route.at).toISOString() } : null,
    };
  });

  /** Puts the rows back in line, then enqueues them; if Redis is away the sweep sends them when it returns. */
  const retry = async (ids: number[]) => {
    const revived = deps.database.write(() => ids.filter((id) => reviveDeadLetter(deps.database, id)));
    let queued = true;
    try {
      await deps.outbox.redeliver(revived);
    } catch (error) {
      app.log.warn({ err: error }, 'dead letters revived but not enqueued; the sweep will send them');
      queued = false;
    }
    return { retried: revived.length, queued };
  };

  routes.post('/api/admin/dead-letters/:id/retry', { ...admin, schema: { params: idParams } }, async (request, reply) => {
    const { id } = request.params;
    const result = await retry([id]);
    if (result.retried === 0) throw new AppError('not_found', `outbox message ${id} is not a dead letter`);
    return reply.code(202).send({ ok: true, id, queued: result.queued });
  });

  routes.post('/api/admin/dead-letters/retry-all', admin, async (_request, reply) => {
    const ids = deadLetters(deps.database, { limit: 10_000 }).map((r) => r.id);
    const result = await retry(ids);
    return reply.code(202).send({ ok: true, ...result });
  });
}
