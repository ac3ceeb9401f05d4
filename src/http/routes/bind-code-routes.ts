import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { issueBindCode, type BindTarget } from '../../app/bind-codes.ts';
import type { DirectoryCache } from '../../app/directory.ts';
import type { Database } from '../../db/open-database.ts';
import type { AdminGuard } from '../admin-auth.ts';
import { invalidInput } from '../zod-validation.ts';

/**
 * POST /api/admin/bind-codes: a one-time code that binds a personal-WeChat contact to a roster
 * person (`{ "person": "zhang" }`) or a group chat to a village's agents or a township centre
 * (`{ "room": { "kind": "village_agents", "village": "qs-sq" } }`, `{ "room": { "kind": "centre",
 * "township": "qs" } }`); `hours` until it expires (default 72). The person or someone in the group
 * then sends `绑定 <code>` to the bot.
 */

const code = z.string().trim().min(1).max(64);
export const bindCodeRequest = z
  .object({
    person: code.optional(),
    room: z
      .discriminatedUnion('kind', [z.object({ kind: z.literal('village_agents'), village: code }), z.object({ kind: z.literal('centre'), township: code })], {
        error: 'must be { kind: "village_agents", village } or { kind: "centre", township }',
      })
      .optional(),
    hours: z
      .number()
      .int('must be a whole number')
      .min(1)
      .max(24 * 30)
      .optional(),
  })
  .strict()
  .refine((b) => (b.person === undefined) !== (b.room === undefined), 'give either person (a roster person id) or room, not both and not neither');

export function bindTargetOf(body: z.output<typeof bindCodeRequest>): BindTarget {
  if (body.person !== undefined) return { kind: 'person', personId: body.person };
  const room = body.room!;
  return room.kind === 'village_agents' ? { kind: 'village_agents', villageCode: room.village } : { kind: 'centre', townshipCode: room.township };
}

export function registerBindCodeRoutes(
  app: FastifyInstance,
  deps: { database: Database; directories: DirectoryCache; requireAdmin: AdminGuard; clock: () => number },
): void {
  const issue = { preValidation: deps.requireAdmin, schema: { body: bindCodeRequest }, schemaErrorFormatter: invalidInput({ code: 'invalid_bind_code' }) };
  app.withTypeProvider<ZodTypeProvider>().post('/api/admin/bind-codes', issue, async (request) => {
    const body = request.body;
    const issued = issueBindCode(deps.database, deps.directories.current(), bindTargetOf(body), {
      now: deps.clock(),
      ...(body.hours ? { hours: body.hours } : {}),
    });
    return { code: issued.code, expiresAt: new Date(issued.expiresAt).toISOString(), target: issued.target, label: issued.label, say: `绑定 ${issued.code}` };
  });
}
