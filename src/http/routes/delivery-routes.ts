import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DirectoryCache } from '../../app/directory.ts';
import { addDays, isLocalDate, shanghaiDate, startOfShanghaiDay } from '../../calendar/local-date.ts';
import { agentTasksByVillage, deliveriesBetween } from '../../db/delivery-queries.ts';
import type { Database } from '../../db/open-database.ts';
import { AppError } from '../../errors.ts';
import type { AdminGuard } from '../admin-auth.ts';

/**
 * GET /api/admin/deliveries?from=YYYY-MM-DD&to=YYYY-MM-DD (admin; both days included, Asia/Shanghai;
 * default the last 30 days): how the notifications of the period reached people — per channel sent,
 * waiting and dead, the sent ones by route — and per village how often the agent had to phone or
 * visit because WeChat could not carry the news.
 */

const day = z.string().trim().refine(isLocalDate, 'must be a date YYYY-MM-DD');
const MAX_DAYS = 366;

export function registerDeliveryRoutes(
  app: FastifyInstance,
  deps: { database: Database; directories: DirectoryCache; requireAdmin: AdminGuard; clock: () => number },
): void {
  const schema = { querystring: z.object({ from: day.optional(), to: day.optional() }) };
  app.withTypeProvider<ZodTypeProvider>().get('/api/admin/deliveries', { preValidation: deps.requireAdmin, schema }, async (request) => {
    const q = request.query;
    const to = q.to ?? shanghaiDate(deps.clock());
    const from = q.from ?? addDays(to, -29);
    if (from > to) throw new AppError('invalid_request', 'from must not be after to');
    if (from < addDays(to, -(MAX_DAYS - 1))) throw new AppError('invalid_request', `at most ${MAX_DAYS} days at once`);
    const start = startOfShanghaiDay(from);
    const end = startOfShanghaiDay(addDays(to, 1));
    const directory = deps.directories.current();
    return {
      from,
      to,
      channels: deliveriesBetween(deps.database, start, end),
      agentTasks: agentTasksByVillage(deps.database, start, end).map((v) => ({
        village: v.villageCode,
        name: v.villageCode ? (directory.village(v.villageCode)?.name ?? null) : null,
        count: v.count,
      })),
    };
  });
}
