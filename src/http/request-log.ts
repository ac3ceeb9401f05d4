import type { FastifyRequest } from 'fastify';

/**
 * What the request log may say of a URL. Query strings carry secrets and personal data — WeChat's
 * signature, timestamp and nonce (whoever holds a signed URL could post with it), a receipt number with
 * the phone's last four digits — so every query value is redacted but for a few harmless filters.
 */

const HARMLESS_KEYS = new Set(['status', 'village', 'limit', 'offset', 'page', 'month', 'after', 'encrypt_type', 'kind']);

export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  const shown = [...params.keys()].map(
    (key) => `${encodeURIComponent(key)}=${HARMLESS_KEYS.has(key) ? encodeURIComponent(params.get(key) ?? '') : '[redacted]'}`,
  );
  return `${url.slice(0, at)}?${[...new Set(shown)].join('&')}`;
}

/** Fastify's request serializer, with the URL redacted. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
