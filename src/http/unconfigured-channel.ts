import type { FastifyInstance } from 'fastify';

/**
 * The routes of a channel this server does not run are declared all the same, so that /docs lists
 * every route whatever is configured; they answer like an unknown route (404 `not_found`), before
 * anything is parsed or validated.
 */
export function answerAsUnknownRoute(scope: FastifyInstance): void {
  scope.addHook('onRequest', async (_request, reply) => {
    reply.callNotFound();
    return reply;
  });
}

/** The deps of a channel that is not configured: never reached (answerAsUnknownRoute answers first); a read says so. */
export function notConfigured<T extends object>(channel: string): T {
  return new Proxy({} as T, {
    get: (_target, key) => {
      throw new Error(`${channel} is not configured on this server (read ${String(key)})`);
    },
  });
}
