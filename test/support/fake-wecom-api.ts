import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';

/**
 * A local fake of WeCom's API (https://qyapi.weixin.qq.com) for tests, speaking the real request and
 * answer formats:
 * - `GET /cgi-bin/gettoken?corpid&corpsecret` → {errcode: 0, access_token, expires_in} (the same token
 *   while it is valid), 40013 for another CorpID, 40001 for a wrong secret;
 * - `POST /cgi-bin/message/send?access_token=…` {touser, msgtype: 'text', agentid, text: {content}}
 *   → {errcode: 0, errmsg: 'ok', invaliduser: ''}; 40014 for an unknown token, 40056 for another
 *   AgentId, 45002 over 2,048 bytes, `invaliduser` naming a UserID that is not a member;
 * - `POST /cgi-bin/webhook/send?key=…` {msgtype: 'text', text: {content, mentioned_list?}} → ok;
 *   93000 for a key that is not a robot, 45002 over 2,048 bytes, and 45009 beyond 20 messages in
 *   any minute for one robot — as WeCom enforces it.
 * It records every request, and can answer a chosen errcode for the next N calls of an endpoint.
 */

export type WeComEndpoint = 'gettoken' | 'message_send' | 'webhook_send';

export interface WeComRequest {
  endpoint: WeComEndpoint;
  query: Record<string, string>;
  body: Record<string, unknown>;
  answer: Record<string, unknown>;
  at: number;
}

export interface FakeWeComApi {
  url: string;
  requests: WeComRequest[];
  /** App messages WeCom accepted, in order. */
  appMessages(): { touser: string; content: string }[];
  /** Robot posts WeCom accepted, in order. */
  robotPosts(): { key: string; content: string; mentioned: string[]; at: number }[];
  failNext(errcode: number, times?: number, endpoint?: WeComEndpoint): void;
  close(): Promise<void>;
}

const ERRMSG: Record<number, string> = {
  [-1]: 'system busy',
  40001: 'invalid secret',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40056: 'invalid agentid',
  45002: 'content size out of limit',
  45009: 'api freq out of limit',
  60020: 'not allow to access from your ip',
  93000: 'invalid webhook url',
};

export const ROBOT_LIMIT_PER_MINUTE = 20;

export async function startFakeWeComApi(options: {
  corpId: string;
  secret: string;
  agentId: number;
  robotKeys: readonly string[];
  members?: readonly string[];
}): Promise<FakeWeComApi> {
  const app = Fastify({ logger: false });
  const requests: WeComRequest[] = [];
  const failures: { endpoint: WeComEndpoint; errcode: number; left: number }[] = [];
  const valid = new Set<string>();
  let current: string | null = null;
  const robotTimes = new Map<string, number[]>();

  const error = (errcode: number) => ({ errcode, errmsg: `${ERRMSG[errcode] ?? 'error'}, hint: [${randomBytes(6).toString('hex')}]` });
  const injected = (endpoint: WeComEndpoint) => {
    const failure = failures.find((f) => f.endpoint === endpoint && f.left > 0);
    if (!failure) return null;
    failure.left -= 1;
    return error(failure.errcode);
  };
  const record = (endpoint: WeComEndpoint, query: unknown, body: unknown, answer: Record<string, unknown>) => {
    requests.push({ endpoint, query: { ...(query as Record<string, string>) }, body: { ...(body as Record<string, unknown>) }, answer, at: Date.now() });
    return answer;
  };
  const tooLong = (content: unknown) => typeof content !== 'string' || content === '' || Buffer.byteLength(content, 'utf8') > 2048;

  app.get('/cgi-bin/gettoken', async (request) => {
    const q = request.query as { corpid?: string; corpsecret?: string };
    const fail = injected('gettoken');
    if (fail) return record('gettoken', q, {}, fail);
    if (q.corpid !== options.corpId) return record('gettoken', q, {}, error(40013));
    if (q.corpsecret !== options.secret) return record('gettoken', q, {}, error(40001));
    if (current === null || !valid.has(current)) {
      current = `fake-wecom-token-${randomBytes(12).toString('hex')}`;
      valid.add(current);
    }
    return record('gettoken', q, {}, { errcode: 0, errmsg: 'ok', access_token: current, expires_in: 7200 });
  });

  app.post('/cgi-bin/message/send', async (request) => {
    const q = request.query as { access_token?: string };
    const body = (request.body ?? {}) as { touser?: string; msgtype?: string; agentid?: number; text?: { content?: string } };
    if (!q.access_token || !valid.has(q.access_token)) return record('message_send', q, body, error(40014));
    const fail = injected('message_send');
    if (fail) return record('message_send', q, body, fail);
    if (body.agentid !== options.agentId) return record('message_send', q, body, error(40056));
    if (body.msgtype !== 'text' || !body.touser) return record('message_send', q, body, { errcode: 40008, errmsg: 'invalid message type' });
    if (tooLong(body.text?.content)) return record('message_send', q, body, error(45002));
    const unknown = options.members && !options.members.includes(body.touser) ? body.touser : '';
    return record('message_send', q, body, { errcode: 0, errmsg: 'ok', invaliduser: unknown });
  });

  app.post('/cgi-bin/webhook/send', async (request) => {
    const q = request.query as { key?: string };
    const body = (request.body ?? {}) as { msgtype?: string; text?: { content?: string; mentioned_list?: string[] } };
    if (!q.key || !options.robotKeys.includes(q.key)) return record('webhook_send', q, body, error(93000));
    const fail = injected('webhook_send');
    if (fail) return record('webhook_send', q, body, fail);
    if (body.msgtype !== 'text') return record('webhook_send', q, body, { errcode: 40008, errmsg: 'invalid message type' });
    if (tooLong(body.text?.content)) return record('webhook_send', q, body, error(45002));
    const now = Date.now();
    const times = (robotTimes.get(q.key) ?? []).filter((t) => t > now - 60_000);
    if (times.length >= ROBOT_LIMIT_PER_MINUTE) return record('webhook_send', q, body, error(45009));
    robotTimes.set(q.key, [...times, now]);
    return record('webhook_send', q, body, { errcode: 0, errmsg: 'ok' });
  });

  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    requests,
    appMessages: () =>
      requests
        .filter((r) => r.endpoint === 'message_send' && r.answer.errcode === 0 && !r.answer.invaliduser)
        .map((r) => ({ touser: String(r.body.touser), content: String((r.body.text as { content: string }).content) })),
    robotPosts: () =>
      requests
        .filter((r) => r.endpoint === 'webhook_send' && r.answer.errcode === 0)
        .map((r) => {
          const text = r.body.text as { content: string; mentioned_list?: string[] };
          return { key: r.query.key!, content: text.content, mentioned: text.mentioned_list ?? [], at: r.at };
        }),
    failNext(errcode, times = 1, endpoint = 'webhook_send') {
      failures.push({ endpoint, errcode, left: times });
    },
    close: () => app.close(),
  };
}
