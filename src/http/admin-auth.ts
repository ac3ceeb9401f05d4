import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorCatalog } from '../errors.ts';

/** The realm a browser shows when it asks for the admin token (HTTP Basic). */
export const ADMIN_REALM = 'daiban';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether an `Authorization` header carries the admin token: `Bearer <token>`, or — when `basic` —
 * HTTP Basic with any user name and the token as password (what a browser sends). Compared in
 * constant time (digests of equal length, whatever was given).
 */
export function carriesAdminToken(header: string | undefined, adminToken: string, options: { basic: boolean }): boolean {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const basic = options.basic ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '') : null;
  let given: string | null = bearer?.[1] ?? null;
  if (given === null && basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    given = colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  const same = timingSafeEqual(digest(given ?? ''), digest(adminToken));
  return given !== null && same;
}

/** A route's admin check, run before its input is validated (an outsider learns nothing of the schema). */
export type AdminGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
export function createAdminGuard(adminToken: string): AdminGuard {
  return async function requireAdmin(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    if (!carriesAdminToken(request.headers.authorization, adminToken, { basic: false })) throw new AppError('unauthorized');
  };
}

/**
 * For pages an admin opens in a browser: Bearer or Basic; otherwise a 401 answered here (not
 * thrown, so that a plugin's own error handler cannot turn it into another status) with
 * `WWW-Authenticate`, so that the browser asks for the token.
 */
export function createBrowserAdminGuard(adminToken: string) {
  return async function requireAdminInBrowser(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (carriesAdminToken(request.headers.authorization, adminToken, { basic: true })) return undefined;
    return reply.status(errorCatalog.unauthorized.status).header('www-authenticate', `Basic realm="${ADMIN_REALM}", charset="UTF-8"`).send({
      error: 'unauthorized',
      message: 'The admin token is required: Authorization: Bearer <ADMIN_TOKEN>, or HTTP Basic with any user name and the token as password.',
    });
  };
}
