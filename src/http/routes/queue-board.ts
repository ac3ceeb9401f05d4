import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';

/**
 * bull-board (the BullMQ dashboard) at /admin/queues: its page, its static files and its JSON API,
 * all behind the admin guard. The guard runs as an onRequest hook of the scope that holds the board,
 * so it covers every route the board registers, including the ones a later version adds.
 */

export const QUEUE_BOARD_PATH = '/admin/queues';

export function registerQueueBoard(app: FastifyInstance, deps: { queues: readonly Queue[]; requireAdmin: onRequestAsyncHookHandler }): void {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    // Deadline and digest jobs are derived from the database; emptying those queues on the board would
    // silence reminders until the next rebuild, so they are read-only. Outbox jobs may be retried there.
    queues: deps.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: !queue.name.startsWith('outbox-') })),
    serverAdapter,
    options: { uiConfig: { boardTitle: '代办 Daiban queues' } },
  });
  void app.register(
    async (scope) => {
      scope.addHook('onRequest', deps.requireAdmin);
      // The board's page asks Google for its fonts: blocked in mainland China and on county intranets,
      // the page then hangs. Everything else it loads is ours; without the link it uses system fonts.
      scope.addHook('onSend', async (_request, reply, payload) => {
        if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
        return payload.replace(/<link[^>]+href="https?:\/\/[^"]*"[^>]*>/g, '');
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: QUEUE_BOARD_PATH },
  );
}
