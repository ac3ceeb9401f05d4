import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DirectoryCache } from '../../app/directory.ts';
import { loadRoster } from '../../app/load-roster.ts';
import { isLocalDate } from '../../calendar/local-date.ts';
import { COUNTY_SCOPE, listOverrides, replaceOverrides } from '../../db/calendar-repository.ts';
import type { Database } from '../../db/open-database.ts';
import { AppError } from '../../errors.ts';
import type { AdminGuard } from '../admin-auth.ts';
import { invalidInput } from '../zod-validation.ts';

/** PUT /api/admin/roster; GET and PUT /api/admin/calendar/overrides (local closures). */
export function registerAdminRoutes(
  app: FastifyInstance,
  deps: { database: Database; directories: DirectoryCache; requireAdmin: AdminGuard; clock: () => number },
): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  // The roster is a document, validated by the use case (app/load-roster.ts) with its own problems.
  routes.put('/api/admin/roster', { preValidation: deps.requireAdmin }, async (request) => {
    const counts = loadRoster(deps.database, request.body, deps.clock());
    return { ok: true, counts };
  });

  const overridesBody = z.object({
    scope: z.string().trim().min(1).max(40).default(COUNTY_SCOPE),
    overrides: z
      .array(
        z.object({
          date: z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD'),
          kind: z.enum(['closed', 'open']),
          reason: z.string().trim().min(1).max(200),
        }),
      )
      .max(366),
  });

  routes.get('/api/admin/calendar/overrides', { preValidation: deps.requireAdmin }, async () => ({ overrides: listOverrides(deps.database) }));

  const replace = { preValidation: deps.requireAdmin, schema: { body: overridesBody }, schemaErrorFormatter: invalidInput({ code: 'invalid_calendar' }) };
  routes.put('/api/admin/calendar/overrides', replace, async (request) => {
    const body = request.body;
    if (body.scope !== COUNTY_SCOPE && !deps.directories.current().township(body.scope)) {
      throw new AppError('invalid_calendar', `scope must be "${COUNTY_SCOPE}" or a township code; ${body.scope} is neither`);
    }
    const dates = body.overrides.map((o) => o.date);
    if (new Set(dates).size !== dates.length) throw new AppError('invalid_calendar', 'a date appears twice');
    replaceOverrides(deps.database, body.scope, body.overrides, deps.clock());
    return { ok: true, scope: body.scope, count: body.overrides.length };
  });
}
