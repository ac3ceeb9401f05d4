import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpLimits } from '../config/config.ts';

/**
 * How long a client may hold the server, and how many connections one address may keep open. Without
 * these a client that never finishes its body holds its connection for ever, and some thousands of
 * them exhaust the file descriptors (every route fails, /healthz included).
 */

export const DEFAULT_HTTP_LIMITS: HttpLimits = { requestTimeoutMs: 30_000, connectionTimeoutMs: 60_000, keepAliveTimeoutMs: 5_000, maxConnectionsPerIp: 256 };

/** Fastify's options for the limits; Node checks request deadlines every `connectionsCheckingInterval`. */
export function serverTimeouts(limits: HttpLimits) {
  return {
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.connectionTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.requestTimeoutMs, 20_000),
      connectionsCheckingInterval: Math.max(250, Math.min(5_000, Math.floor(limits.requestTimeoutMs / 4))),
    },
  };
}

/**
 * Closes at once a connection from an address that already has `max` open (0: no limit). The count
 * is of TCP peers: behind a reverse proxy it is the proxy's, so there the limit per client belongs at
 * the proxy (docs: nginx limit_conn).
 */
export function limitConnectionsPerAddress(server: Server, max: number, onRefused?: (address: string) => void): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      onRefused?.(address);
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
