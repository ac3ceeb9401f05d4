import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DirectoryCache } from '../../app/directory.ts';
import { errandList, errandReport } from '../../app/errand-report.ts';
import type { PhotoLibrary } from '../../app/photo-library.ts';
import type { Database } from '../../db/open-database.ts';
import { errandStatuses } from '../../domain/errand-lifecycle.ts';
import { parseReceiptNo } from '../../domain/receipt-number.ts';
import { AppError } from '../../errors.ts';
import type { AdminGuard } from '../admin-auth.ts';

/**
 * GET /api/errands/<receiptNo> (with the photos the resident sent), GET /api/errands?status=&village=
 * and GET /api/errands/<receiptNo>/photos/<id> (the picture itself) — admin.
 */
export function registerErrandRoutes(
  app: FastifyInstance,
  deps: { database: Database; directories: DirectoryCache; requireAdmin: AdminGuard; photos?: PhotoLibrary },
): void {
  const listQuery = z.object({
    status: z.enum(errandStatuses).optional(),
    village: z.string().trim().min(1).max(40).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  });

  const routes = app.withTypeProvider<ZodTypeProvider>();
  const admin = { preValidation: deps.requireAdmin };
  routes.get('/api/errands', { ...admin, schema: { querystring: listQuery } }, async (request) => {
    return { errands: errandList(deps.database, deps.directories.current(), request.query) };
  });

  routes.get('/api/errands/:receiptNo', { ...admin, schema: { params: z.object({ receiptNo: z.string() }) } }, async (request) => {
    const receiptNo = parseReceiptNo(request.params.receiptNo);
    if (!receiptNo) throw new AppError('invalid_request', `not a receipt number: ${request.params.receiptNo}`);
    const report = errandReport(deps.database, deps.directories.current(), receiptNo);
    if (!report) throw new AppError('errand_not_found', `no errand ${receiptNo}`);
    const photos = (deps.photos?.list(receiptNo) ?? []).map((p) => ({ ...p, href: `/api/errands/${receiptNo}/photos/${p.id}` }));
    return { ...report, photos };
  });

  const photoParams = z.object({ receiptNo: z.string(), photoId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
  routes.get('/api/errands/:receiptNo/photos/:photoId', { ...admin, schema: { params: photoParams } }, async (request, reply) => {
    const params = request.params;
    const receiptNo = parseReceiptNo(params.receiptNo);
    if (!receiptNo) throw new AppError('invalid_request', `not a receipt number: ${params.receiptNo}`);
    const content = deps.photos ? await deps.photos.content(receiptNo, params.photoId) : null;
    if (!content) throw new AppError('not_found', `errand ${receiptNo} has no photo ${params.photoId}`);
    if (content.kind === 'missing') throw new AppError('not_found', `photo ${params.photoId} cannot be shown: ${content.reason}`);
    return reply.type(content.type).header('cache-control', 'private, max-age=86400').header('x-content-type-options', 'nosniff').send(content.bytes);
  });
}
