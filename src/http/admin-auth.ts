import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/** `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
export function createAdminGuard(adminToken: string) {
  const expected = createHash('sha256').update(adminToken).digest();
  return async function requireAdmin(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const given = createHash('sha256').update(match?.[1] ?? '').digest();
    if (!match || !timingSafeEqual(given, expected)) throw new AppError('unauthorized');
  };
}
