import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { InboundHandler } from '../../app/inbound-handler.ts';
import type { Database } from '../../db/open-database.ts';
import { sentMessages } from '../../db/outbox-repository.ts';
import type { AdminGuard } from '../admin-auth.ts';

/**
 * The simulator channel's HTTP contract (kept exactly; tools outside the repo use it):
 * POST /api/simulator/messages { from, room, text } → { replies: [{ to, room, text }] }
 * GET /api/simulator/outbox?to=… | ?room=… [&after=id] → { messages: [{ id, to, room, text, at }] }
 */

export const SIMULATOR_CHANNEL = 'simulator';
const MAX_TEXT = 10_000;

const messageBody = z.object({
  from: z.string().trim().min(1, 'from: who is speaking (an identity)').max(200),
  room: z.string().trim().min(1).max(200).nullable().default(null),
  text: z.string().max(MAX_TEXT, `text: at most ${MAX_TEXT} characters`),
  /** Optional: a message id; the same id sent again is answered once (like a channel re-delivery). */
  id: z.string().trim().min(1).max(100).optional(),
  /** Optional: the bot is @mentioned (also detected from "@<bot name>" in the text). */
  mention: z.boolean().optional(),
});

const outboxQuery = z
  .object({
    to: z.string().trim().min(1).max(200).optional(),
    room: z.string().trim().min(1).max(200).optional(),
    after: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .refine((q) => (q.to === undefined) !== (q.room === undefined), { message: 'give exactly one of to or room' });

export function registerSimulatorRoutes(
  app: FastifyInstance,
  deps: { inbound: InboundHandler; database: Database; requireAdmin: AdminGuard; clock: () => number; botName: string },
): void {
  const mention = `@${deps.botName}`;

  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.post('/api/simulator/messages', { preValidation: deps.requireAdmin, schema: { body: messageBody } }, async (request) => {
    const body = request.body;
    const result = await deps.inbound.submit({
      channel: SIMULATOR_CHANNEL,
      senderId: body.from,
      roomId: body.room,
      text: body.text.split(mention).join(' '),
      messageId: body.id ?? null,
      mentionsBot: body.mention ?? body.text.includes(mention),
      receivedAt: deps.clock(),
    });
    return { replies: result.replies };
  });

  routes.get('/api/simulator/outbox', { preValidation: deps.requireAdmin, schema: { querystring: outboxQuery } }, async (request) => {
    const q = request.query;
    const rows = sentMessages(deps.database, {
      channel: SIMULATOR_CHANNEL,
      ...(q.room !== undefined ? { room: q.room } : { to: q.to ?? '' }),
      after: q.after,
      limit: q.limit,
    });
    // `id` is the sending order, so paging with `after` never skips a notification delivered late.
    return {
      messages: rows.map((r) => ({ id: r.sentSeq ?? r.id, to: r.recipient, room: r.room, text: r.text, at: new Date(r.sentAt ?? r.createdAt).toISOString() })),
    };
  });
}
