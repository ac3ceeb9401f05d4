import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * The OpenAPI document (GET /docs/json) and swagger-ui (GET /docs), served from the packages' own
 * files — nothing is fetched from the internet. Only tagged routes appear: the mini-program API and
 * the admin routes described with a schema. Register it before the routes it should list.
 */
export function registerApiDocs(app: FastifyInstance, options: { version: string }): void {
  void app.register(swagger, {
    hideUntagged: true,
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '代办 Daiban API',
        version: options.version,
        description:
          'The mini-program API (log in with wx.login(), register, request an errand from a form, my errands, rating, subscribe-message credits, progress lookup). Errors are `{ error, message, details? }` with the status of the error catalog.',
      },
      tags: [{ name: 'mini-program', description: '小程序 — Authorization: Bearer <token from POST /api/mp/login>' }],
      components: {
        securitySchemes: {
          miniProgramSession: { type: 'http', scheme: 'bearer', description: 'The token answered by POST /api/mp/login' },
          adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
        },
      },
    },
  });
  void app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: false } });
}
