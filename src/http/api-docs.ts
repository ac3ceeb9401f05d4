import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * The OpenAPI document (GET /docs/json) and swagger-ui (GET /docs), served from the packages' own
 * files — nothing is fetched from the internet. Only tagged routes appear: the mini-program API and
 * the WeChat webhook and callback (described by their zod schemas, whether their channel is
 * configured or not) and, by a one-line summary from the table below, the admin, public and
 * simulator routes (the README has their details). Register it before the routes it should list.
 */

const ADMIN = [{ adminToken: [] }];

/** Routes that do not describe themselves: "METHOD url" → tag, summary, admin token needed. */
const described: Record<string, [tag: string, summary: string, admin: boolean]> = {
  'GET /healthz': ['public', 'Health: the status for anyone; with the admin token also the database, Redis, queue and outbox counts', false],
  'GET /api/catalog/match': ['public', 'Catalogue items matching words (?q=), best first', false],
  'GET /api/catalog/items': ['public', 'The catalogue: every item’s service guide', false],
  'GET /api/catalog/items/:id': ['public', 'One item’s service guide (materials, fee, time limit…)', false],
  'PUT /api/admin/catalog/items/:id': ['admin', 'Replace a catalogue item (validated; its version goes up)', true],
  'PUT /api/admin/roster': ['admin', 'Load the roster (upsert by code and id)', true],
  'GET /api/admin/calendar/overrides': ['admin', 'Local closures and extra working days', true],
  'PUT /api/admin/calendar/overrides': ['admin', 'Replace the local closures and extra working days of a scope', true],
  'GET /api/errands': ['admin', 'Errands (?status=&village=&limit=&offset=)', true],
  'GET /api/errands/:receiptNo': [
    'admin',
    'One errand with deadlines, history, entrustments, one-time notices, photos and its 好差评 (rating: { level 5 非常满意 … 1 非常不满意, words, round, at } or null; ratings: every round)',
    true,
  ],
  'GET /api/errands/:receiptNo/photos/:photoId': ['admin', 'A photo the resident sent (fetched from WeChat first when not stored yet)', true],
  'GET /api/admin/deliveries': ['admin', 'How notifications reached people, per channel, route and village (?from=&to=)', true],
  'GET /api/admin/reports': ['admin', 'Stored monthly figures (?month=YYYY-MM)', true],
  'POST /api/admin/reports/:month/compute': ['admin', 'Compute and store one month now', true],
  'GET /api/admin/dead-letters': ['admin', 'Messages the outbox gave up on, newest first', true],
  'POST /api/admin/dead-letters/:id/retry': ['admin', 'Send one dead letter again', true],
  'POST /api/admin/dead-letters/retry-all': ['admin', 'Send every dead letter again', true],
  'GET /api/admin/outbox/:id': ['admin', 'One outbox message: its status and the route that delivered it', true],
  'POST /api/admin/bind-codes': ['admin', 'A one-time bind code for a person or a group on personal WeChat', true],
  'POST /api/simulator/messages': ['simulator', 'Talk to the bot as anyone ({ from, room, text })', true],
  'GET /api/simulator/outbox': ['simulator', 'Everything sent to a person (?to=) or a room (?room=)', true],
};

export function registerApiDocs(app: FastifyInstance, options: { version: string }): void {
  // Runs before @fastify/swagger's own onRoute hook (added when the plugin loads), so it sees the summaries.
  app.addHook('onRoute', (route) => {
    const method = Array.isArray(route.method) ? route.method[0] : route.method;
    const entry = described[`${String(method)} ${route.url}`];
    if (!entry || (route.schema as { tags?: unknown } | undefined)?.tags) return;
    const [tag, summary, admin] = entry;
    route.schema = { ...route.schema, tags: [tag], summary, ...(admin ? { security: ADMIN } : {}) };
  });
  void app.register(swagger, {
    hideUntagged: true,
    // Route schemas are zod (zod-validation.ts): turned into JSON Schema here (what JSON Schema cannot say, e.g. a transform, is left open).
    transform: createJsonSchemaTransform({ zodToJsonConfig: { unrepresentable: 'any' } }),
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '代办 Daiban API',
        version: options.version,
        description:
          'The mini-program API (log in with wx.login(), register, request an errand from a form, my errands, rating, subscribe-message credits, progress lookup). Errors are `{ error, message, details? }` with the status of the error catalog.',
      },
      tags: [
        { name: 'mini-program', description: '小程序 — Authorization: Bearer <token from POST /api/mp/login>' },
        { name: 'public', description: 'No login' },
        { name: 'admin', description: 'Authorization: Bearer <ADMIN_TOKEN>' },
        { name: 'simulator', description: 'ADMIN_TOKEN, and SIMULATOR_ENABLED=true' },
        { name: 'wechat', description: 'Called by WeChat’s servers, signed with the account’s token (404 when that channel is not configured)' },
      ],
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
