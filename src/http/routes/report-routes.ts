import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { shanghaiDate } from '../../calendar/local-date.ts';
import { AppError } from '../../errors.ts';
import type { AdminGuard } from '../admin-auth.ts';

/** GET /api/admin/reports?month=YYYY-MM (the stored monthly figures); POST /api/admin/reports/:month/compute. */

export interface ReportRow {
  unitKind: 'village' | 'township' | 'county';
  unitCode: string;
  name: string;
  figures: object;
  computedAt: number;
}

export interface MonthlyReports {
  /** The stored figures of a month, the county first (empty when not computed yet). */
  stored(month: string): ReportRow[];
  /** Computes and stores a month; returns the stored rows. */
  compute(month: string): ReportRow[];
}

const month = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');

export function registerReportRoutes(app: FastifyInstance, deps: { reports: MonthlyReports; requireAdmin: AdminGuard; clock: () => number }): void {
  const shape = (m: string, rows: ReportRow[]) => ({
    month: m,
    reports: rows.map((r) => ({
      unitKind: r.unitKind,
      unitCode: r.unitCode,
      name: r.name,
      figures: r.figures,
      computedAt: new Date(r.computedAt).toISOString(),
    })),
  });

  const routes = app.withTypeProvider<ZodTypeProvider>();
  const schema = z.object({ month });
  routes.get('/api/admin/reports', { preValidation: deps.requireAdmin, schema: { querystring: schema } }, async (request) => {
    const q = request.query;
    return shape(q.month, deps.reports.stored(q.month));
  });

  routes.post('/api/admin/reports/:month/compute', { preValidation: deps.requireAdmin, schema: { params: schema } }, async (request) => {
    const p = request.params;
    if (p.month > shanghaiDate(deps.clock()).slice(0, 7)) throw new AppError('invalid_request', `${p.month} has not begun yet`);
    return shape(p.month, deps.reports.compute(p.month));
  });
}
