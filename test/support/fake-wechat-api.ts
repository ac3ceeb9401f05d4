import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';

/**
 * A local fake of WeChat's API (https://api.weixin.qq.com) for tests and demos, speaking the real
 * request and answer formats:
 * - `POST /cgi-bin/stable_token` {grant_type, appid, secret, force_refresh} → {access_token, expires_in}
 *   (the same token while it is valid unless force_refresh) or {errcode, errmsg};
 * - `POST /cgi-bin/message/custom/send?access_token=…` {touser, msgtype: 'text', text: {content}}
 *   → {errcode: 0, errmsg: 'ok'}, 40001 for an unknown or invalidated token.
 * - `POST /cgi-bin/menu/create?access_token=…` {button: [...]} → {errcode: 0}, checking the menu's
 *   shape as WeChat does (40016 too many buttons, 40017 bad type, 40018 name too long, 40019 key too long).
 * It records every request, can answer a chosen errcode for the next N calls, and can invalidate
 * every token it issued.
 */

export type FakeEndpoint = 'stable_token' | 'custom_send' | 'menu_create';

export interface RecordedRequest {
  endpoint: FakeEndpoint;
  query: Record<string, string>;
  body: Record<string, unknown>;
  /** What the fake answered. */
  answer: Record<string, unknown>;
}

export interface FakeWeChatApi {
  url: string;
  requests: RecordedRequest[];
  /** Texts WeChat accepted, in order. */
  delivered(): { touser: string; content: string; accessToken: string }[];
  /** The next `times` calls to `endpoint` answer this errcode (after letting `skip` calls through). */
  failNext(errcode: number, times?: number, endpoint?: FakeEndpoint, skip?: number): void;
  /** Every token issued so far stops working (as when another party fetched a new one with the old API). */
  invalidateTokens(): void;
  close(): Promise<void>;
}

const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40125: 'invalid appsecret',
  42001: 'access_token expired',
  43004: 'require subscribe',
  45009: 'reach max api daily quota limit',
  45015: 'response out of time limit or subscription is canceled',
  45047: 'out of response count limit',
  48002: 'api forbidden for irrelevant user',
};

export async function startFakeWeChatApi(options: { appId: string; secret: string; expiresIn?: number; tokenDelayMs?: number }): Promise<FakeWeChatApi> {
  const app = Fastify({ logger: false });
  const requests: RecordedRequest[] = [];
  const failures: { endpoint: FakeEndpoint; errcode: number; left: number; skip: number }[] = [];
  const valid = new Set<string>();
  let current: string | null = null;

  const error = (errcode: number) => ({ errcode, errmsg: `${ERRMSG[errcode] ?? 'error'} rid: ${randomBytes(4).toString('hex')}` });
  const injected = (endpoint: FakeEndpoint) => {
    const failure = failures.find((f) => f.endpoint === endpoint && f.left > 0);
    if (!failure) return null;
    if (failure.skip > 0) {
      failure.skip -= 1;
      return null;
    }
    failure.left -= 1;
    return error(failure.errcode);
  };
  const answer = (endpoint: FakeEndpoint, query: unknown, body: unknown, result: Record<string, unknown>) => {
    requests.push({ endpoint, query: { ...(query as Record<string, string>) }, body: { ...(body as Record<string, unknown>) }, answer: result });
    return result;
  };

  app.post('/cgi-bin/stable_token', async (request) => {
    const body = (request.body ?? {}) as { grant_type?: string; appid?: string; secret?: string; force_refresh?: boolean };
    if (options.tokenDelayMs) await new Promise((r) => setTimeout(r, options.tokenDelayMs));
    const fail = injected('stable_token');
    if (fail) return answer('stable_token', request.query, body, fail);
    if (body.grant_type !== 'client_credential') return answer('stable_token', request.query, body, { errcode: 40002, errmsg: 'invalid grant_type' });
    if (body.appid !== options.appId) return answer('stable_token', request.query, body, error(40013));
    if (body.secret !== options.secret) return answer('stable_token', request.query, body, error(40125));
    if (body.force_refresh === true || current === null || !valid.has(current)) {
      current = `fake-token-${randomBytes(12).toString('hex')}`;
      valid.add(current);
    }
    return answer('stable_token', request.query, body, { access_token: current, expires_in: options.expiresIn ?? 7200 });
  });

  app.post('/cgi-bin/message/custom/send', async (request) => {
    const query = request.query as { access_token?: string };
    const body = (request.body ?? {}) as { touser?: string; msgtype?: string; text?: { content?: string } };
    if (!query.access_token || !valid.has(query.access_token)) return answer('custom_send', query, body, error(40001));
    const fail = injected('custom_send');
    if (fail) return answer('custom_send', query, body, fail);
    if (!body.touser || body.msgtype !== 'text' || typeof body.text?.content !== 'string') return answer('custom_send', query, body, { errcode: 40008, errmsg: 'invalid message type' });
    return answer('custom_send', query, body, { errcode: 0, errmsg: 'ok' });
  });

  app.post('/cgi-bin/menu/create', async (request) => {
    const query = request.query as { access_token?: string };
    const body = (request.body ?? {}) as { button?: unknown };
    if (!query.access_token || !valid.has(query.access_token)) return answer('menu_create', query, body, error(40001));
    const fail = injected('menu_create');
    if (fail) return answer('menu_create', query, body, fail);
    return answer('menu_create', query, body, menuProblem(body.button) ?? { errcode: 0, errmsg: 'ok' });
  });

  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    requests,
    delivered: () =>
      requests
        .filter((r) => r.endpoint === 'custom_send' && r.answer.errcode === 0)
        .map((r) => ({ touser: String(r.body.touser), content: String((r.body.text as { content: string }).content), accessToken: String(r.query.access_token) })),
    failNext(errcode, times = 1, endpoint = 'custom_send', skip = 0) {
      failures.push({ endpoint, errcode, left: times, skip });
    },
    invalidateTokens() {
      valid.clear();
    },
    close: () => app.close(),
  };
}

type MenuButton = { type?: string; name?: string; key?: string; url?: string; sub_button?: MenuButton[] };

/** WeChat's checks of a custom menu, with its error codes. */
function menuProblem(buttons: unknown): { errcode: number; errmsg: string } | null {
  const bytes = (s: string | undefined) => Buffer.byteLength(s ?? '', 'utf8');
  if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 3) return { errcode: 40016, errmsg: 'invalid button size' };
  for (const b of buttons as MenuButton[]) {
    if (!b.name || bytes(b.name) > 16) return { errcode: 40018, errmsg: 'invalid button name size' };
    const leaves = b.sub_button ?? [b];
    if (b.sub_button && (b.sub_button.length === 0 || b.sub_button.length > 5)) return { errcode: 40023, errmsg: 'invalid sub button size' };
    for (const leaf of leaves) {
      if (b.sub_button && (!leaf.name || bytes(leaf.name) > 60)) return { errcode: 40027, errmsg: 'invalid sub button name size' };
      if (!['click', 'view', 'miniprogram'].includes(leaf.type ?? '')) return { errcode: 40017, errmsg: 'invalid button type' };
      if (leaf.type === 'click' && (!leaf.key || bytes(leaf.key) > 128)) return { errcode: 40019, errmsg: 'invalid button key size' };
      if (leaf.type === 'view' && (!leaf.url || bytes(leaf.url) > 1024)) return { errcode: 40055, errmsg: 'invalid button url domain' };
    }
  }
  return null;
}
