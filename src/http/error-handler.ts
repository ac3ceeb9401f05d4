import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, errorCatalog, type ErrorCode } from '../errors.ts';

/**
 * Every error becomes `{ error: <code>, message, details? }` with the catalog's status. Fastify's own
 * errors (malformed JSON, body too large, wrong content type) become 4xx codes of the catalog.
 */

function fromFastify(error: FastifyError): AppError | null {
  const code = error.code ?? '';
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('payload_too_large', error.message);
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new AppError('unsupported_media_type', error.message);
  if (code.startsWith('FST_ERR_CTP_') || code === 'FST_ERR_VALIDATION') return new AppError('invalid_request', error.message);
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    const byStatus = (Object.keys(errorCatalog) as ErrorCode[]).find((c) => errorCatalog[c].status === error.statusCode);
    return new AppError(byStatus ?? 'invalid_request', error.message);
  }
  return null;
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const appError = error instanceof AppError ? error : fromFastify(error);
    if (!appError) {
      request.log.error({ err: error }, 'unhandled error');
      return reply.status(500).send({ error: 'internal', message: errorCatalog.internal.message });
    }
    if (appError.status >= 500) request.log.error({ err: appError.cause ?? appError }, appError.message);
    return reply.status(appError.status).send({
      error: appError.code,
      message: appError.message,
      ...(appError.details !== undefined ? { details: appError.details } : {}),
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0] ?? ''}` }),
  );
}
