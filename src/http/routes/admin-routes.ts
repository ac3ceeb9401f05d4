import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { z } from 'zod';
import type { DirectoryCache } from '../../app/directory.ts';
import { loadRoster } from '../../app/load-roster.ts';
import { isLocalDate } from '../../calendar/local-date.ts';
import { COUNTY_SCOPE, listOverrides, replaceOverrides } from '../../db/calendar-repository.ts';
import type { Database } from '../../db/open-database.ts';
import { AppError } from '../../errors.ts';
import { parseInput } from '../validation.ts';

/** PUT /api/admin/roster; GET and PUT /api/admin/calendar/overrides (local closures). */
export function registerAdminRoutes(
  app: FastifyInstance,
  deps: { database: Database; directories: DirectoryCache; requireAdmin: preHandlerAsyncHookHandler; clock: () => number },
): void {
  app.put('/api/admin/roster', { preHandler: deps.requireAdmin }, async (request) => {
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

  app.get('/api/admin/calendar/overrides', { preHandler: deps.requireAdmin }, async () => ({ overrides: listOverrides(deps.database) }));

  app.put('/api/admin/calendar/overrides', { preHandler: deps.requireAdmin }, async (request) => {
    const body = parseInput(overridesBody, request.body, 'invalid_calendar');
    if (body.scope !== COUNTY_SCOPE && !deps.directories.current().township(body.scope)) {
      throw new AppError('invalid_calendar', `scope must be "${COUNTY_SCOPE}" or a township code; ${body.scope} is neither`);
    }
    const dates = body.overrides.map((o) => o.date);
    if (new Set(dates).size !== dates.length) throw new AppError('invalid_calendar', 'a date appears twice');
    replaceOverrides(deps.database, body.scope, body.overrides, deps.clock());
    return { ok: true, scope: body.scope, count: body.overrides.length };
  });
}
