import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * A local fake of WeChat's API (https://api.weixin.qq.com) for tests and demos, speaking the real
 * request and answer formats:
 * - `POST /cgi-bin/stable_token` {grant_type, appid, secret, force_refresh} → {access_token, expires_in}
 *   (the same token while it is valid unless force_refresh) or {errcode, errmsg};
 * - `POST /cgi-bin/message/custom/send?access_token=…` {touser, msgtype: 'text', text: {content}}
 *   → {errcode: 0, errmsg: 'ok'}, 40001 for an unknown or invalidated token;
 * - `POST /cgi-bin/message/template/send?access_token=…` {touser, template_id, url?, miniprogram?,
 *   client_msg_id?, data: {key: {value}}} → {errcode: 0, errmsg: 'ok', msgid}; a repeat of a
 *   (touser, client_msg_id) gets the first answer again and is not delivered twice (anti-replay);
 * - `POST /cgi-bin/message/subscribe/bizsend?access_token=…` {touser, template_id, page?,
 *   miniprogram?, data} → {errcode: 0, errmsg: 'ok'}.
 * - `POST /cgi-bin/message/subscribe/send?access_token=…` (a mini-program's subscribe message) {touser,
 *   template_id, page?, data, miniprogram_state?, lang?} → {errcode: 0, errmsg: 'ok'}; the same checks
 *   as bizsend, and a `page` outside `pages` (when given) → 41030;
 * - `POST /wxa/business/getuserphonenumber?access_token=…` {code} → {errcode: 0, phone_info:
 *   {phoneNumber, purePhoneNumber, countryCode, watermark: {appid, timestamp}}} for a code issued by
 *   `issuePhoneCode` (once; 40029 for any other).
 * Template and subscribe sends are checked as WeChat does against the templates the test registered
 * (`addTemplate`): an unknown template_id → 40037; a missing or unknown field, or a value over its
 * type's length (thing ≤ 20, phrase ≤ 5, name ≤ 10, character_string ≤ 32, …) → 47003.
 * - `POST /cgi-bin/menu/create?access_token=…` {button: [...]} → {errcode: 0}, checking the menu's
 *   shape as WeChat does (40016 too many buttons, 40017 bad type, 40018 name too long, 40019 key too long).
 * - `GET /cgi-bin/media/get?access_token=…&media_id=…` → the bytes of a temporary media file the test
 *   added (`addMedia`), with its content type; {errcode: 40007} for any other media id.
 * - `GET /cgi-bin/user/info?access_token=…&openid=…&lang=zh_CN` → {subscribe: 1, openid, unionid?} for a
 *   follower the test added (`addFollower`); 40003 for any other OpenID.
 * It records every request, can answer a chosen errcode for the next N calls, and can invalidate
 * every token it issued.
 */

export type FakeEndpoint =
  'stable_token' | 'custom_send' | 'template_send' | 'subscribe_send' | 'mp_subscribe_send' | 'phone_number' | 'menu_create' | 'media_get' | 'user_info';

/** Field key → WeChat field type (thing, phrase, name, character_string, number, time, …). */
export type FakeTemplateFields = Record<string, string>;

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
  /** Template (template/send), subscribe (bizsend) or mini-program subscribe (subscribe/send) messages WeChat accepted, in order. */
  deliveredTemplates(
    endpoint: 'template_send' | 'subscribe_send' | 'mp_subscribe_send',
  ): { touser: string; templateId: string; data: Record<string, string> }[];
  /**
   * A fresh getPhoneNumber code for a user with this verified number (countryCode 86 unless given);
   * `appid`: the watermark's (default the fake's AppID).
   */
  issuePhoneCode(purePhoneNumber: string, options?: { countryCode?: string; appid?: string }): string;
  /** A follower of the account, with the UnionID user/info gives (none: the account is not bound to an open platform). */
  addFollower(openId: string, unionId?: string): void;
  /** A temporary media file WeChat holds (a picture a follower sent), served by media/get. */
  addMedia(mediaId: string, bytes: Uint8Array, contentType: string): void;
  /** Registers a template the account has (its fields and their types), as added on the WeChat platform; subscribe templates serve bizsend and subscribe/send. */
  addTemplate(endpoint: 'template_send' | 'subscribe_send', templateId: string, fields: FakeTemplateFields): void;
  /** Every token issued so far stops working (as when another party fetched a new one with the old API). */
  invalidateTokens(): void;
  close(): Promise<void>;
}

const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40029: 'invalid code',
  40037: 'invalid template_id',
  41030: 'invalid page',
  40164: 'invalid ip, not in whitelist',
  43019: 'require remove blacklist',
  43101: 'user refuse to accept the msg',
  40007: 'invalid media_id',
  45011: 'api minute-quota reach limit',
  47003: 'argument invalid!',
  48001: 'api unauthorized',
  50005: 'user is unsubscribed',
  40014: 'invalid access_token',
  40125: 'invalid appsecret',
  42001: 'access_token expired',
  43004: 'require subscribe',
  45009: 'reach max api daily quota limit',
  45015: 'response out of time limit or subscription is canceled',
  45047: 'out of response count limit',
  48002: 'api forbidden for irrelevant user',
};

/** The longest value WeChat takes per field type (characters). */
const FIELD_LIMITS: Record<string, number> = {
  thing: 20,
  phrase: 5,
  name: 10,
  character_string: 32,
  number: 32,
  letter: 32,
  symbol: 5,
  amount: 10,
  phone_number: 17,
  car_number: 8,
};

export async function startFakeWeChatApi(options: {
  appId: string;
  secret: string;
  expiresIn?: number;
  tokenDelayMs?: number;
  /** The mini-program's pages (subscribe/send answers 41030 for another page); absent: any page. */
  pages?: string[];
  /** More fake routes on the same server (e.g. jscode2session). */
  extend?: (app: FastifyInstance) => void;
  /** Other apps served by the same API base (the Official Account beside a mini-program): their AppIDs and secrets. */
  otherApps?: { appId: string; secret: string }[];
}): Promise<FakeWeChatApi> {
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
    const apps = [{ appId: options.appId, secret: options.secret }, ...(options.otherApps ?? [])];
    const known = apps.find((a) => a.appId === body.appid);
    if (!known) return answer('stable_token', request.query, body, error(40013));
    if (body.secret !== known.secret) return answer('stable_token', request.query, body, error(40125));
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
    if (!body.touser || body.msgtype !== 'text' || typeof body.text?.content !== 'string')
      return answer('custom_send', query, body, { errcode: 40008, errmsg: 'invalid message type' });
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

  const templates = { template_send: new Map<string, FakeTemplateFields>(), subscribe_send: new Map<string, FakeTemplateFields>() };
  /** `${touser}\u0000${client_msg_id}` → the first answer (template/send's anti-replay). */
  const replays = new Map<string, Record<string, unknown>>();
  let msgids = 3_000_000_000;

  /** WeChat's checks of a template or subscribe send's shape; null when it is fine. */
  function checkTemplateSend(endpoint: 'template_send' | 'subscribe_send', body: Record<string, unknown>): Record<string, unknown> | null {
    if (typeof body.touser !== 'string' || body.touser === '') return error(40003);
    const fields = typeof body.template_id === 'string' ? templates[endpoint].get(body.template_id) : undefined;
    if (!fields) return error(40037);
    const data = body.data;
    if (typeof data !== 'object' || data === null) return { errcode: 47003, errmsg: 'argument invalid! data is empty' };
    for (const key of Object.keys(data)) if (!(key in fields)) return { errcode: 47003, errmsg: `argument invalid! data.${key} not in template` };
    for (const [key, type] of Object.entries(fields)) {
      const value = (data as Record<string, { value?: unknown } | undefined>)[key]?.value;
      if (typeof value !== 'string' || value === '') return { errcode: 47003, errmsg: `argument invalid! data.${key}.value is empty` };
      const limit = FIELD_LIMITS[type];
      if (limit !== undefined && [...value].length > limit) return { errcode: 47003, errmsg: `argument invalid! data.${key}.value exceeds limit` };
    }
    return null;
  }

  app.post('/cgi-bin/message/template/send', async (request) => {
    const query = request.query as { access_token?: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!query.access_token || !valid.has(query.access_token)) return answer('template_send', query, body, error(40001));
    const fail = injected('template_send');
    if (fail) return answer('template_send', query, body, fail);
    const replayKey = typeof body.client_msg_id === 'string' ? `${String(body.touser)}\u0000${body.client_msg_id}` : null;
    const first = replayKey ? replays.get(replayKey) : undefined;
    if (first) return answer('template_send', query, body, { ...first, replayed: true });
    const wrong = checkTemplateSend('template_send', body);
    if (wrong) return answer('template_send', query, body, wrong);
    const result = { errcode: 0, errmsg: 'ok', msgid: ++msgids };
    if (replayKey) replays.set(replayKey, result);
    return answer('template_send', query, body, result);
  });

  app.post('/cgi-bin/message/subscribe/bizsend', async (request) => {
    const query = request.query as { access_token?: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!query.access_token || !valid.has(query.access_token)) return answer('subscribe_send', query, body, error(40001));
    const fail = injected('subscribe_send');
    if (fail) return answer('subscribe_send', query, body, fail);
    const wrong = checkTemplateSend('subscribe_send', body);
    if (wrong) return answer('subscribe_send', query, body, wrong);
    return answer('subscribe_send', query, body, { errcode: 0, errmsg: 'ok' });
  });

  app.post('/cgi-bin/message/subscribe/send', async (request) => {
    const query = request.query as { access_token?: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!query.access_token || !valid.has(query.access_token)) return answer('mp_subscribe_send', query, body, error(40001));
    const fail = injected('mp_subscribe_send');
    if (fail) return answer('mp_subscribe_send', query, body, fail);
    const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
    if (body.miniprogram_state !== undefined && !['developer', 'trial', 'formal'].includes(text(body.miniprogram_state)))
      return answer('mp_subscribe_send', query, body, { errcode: 47001, errmsg: 'data format error: miniprogram_state' });
    if (body.lang !== undefined && !['zh_CN', 'en_US', 'zh_HK', 'zh_TW'].includes(text(body.lang)))
      return answer('mp_subscribe_send', query, body, { errcode: 47001, errmsg: 'data format error: lang' });
    if (body.page !== undefined && options.pages && !options.pages.includes(text(body.page).split('?')[0]!))
      return answer('mp_subscribe_send', query, body, error(41030));
    const wrong = checkTemplateSend('subscribe_send', body);
    if (wrong) return answer('mp_subscribe_send', query, body, wrong);
    return answer('mp_subscribe_send', query, body, { errcode: 0, errmsg: 'ok' });
  });

  /** code → the verified number it stands for (one use). */
  const phoneCodes = new Map<string, { purePhoneNumber: string; countryCode: string; appid: string }>();
  app.post('/wxa/business/getuserphonenumber', async (request) => {
    const query = request.query as { access_token?: string };
    const body = (request.body ?? {}) as { code?: unknown };
    if (!query.access_token || !valid.has(query.access_token)) return answer('phone_number', query, body, error(40001));
    const fail = injected('phone_number');
    if (fail) return answer('phone_number', query, body, fail);
    const phone = typeof body.code === 'string' ? phoneCodes.get(body.code) : undefined;
    if (!phone) return answer('phone_number', query, body, error(40029));
    phoneCodes.delete(String(body.code));
    const phoneNumber = phone.countryCode === '86' ? phone.purePhoneNumber : `+${phone.countryCode}-${phone.purePhoneNumber}`;
    return answer('phone_number', query, body, {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber,
        purePhoneNumber: phone.purePhoneNumber,
        countryCode: phone.countryCode,
        watermark: { timestamp: Math.floor(Date.now() / 1000), appid: phone.appid },
      },
    });
  });

  const followers = new Map<string, string | undefined>();
  app.get('/cgi-bin/user/info', async (request) => {
    const query = request.query as { access_token?: string; openid?: string };
    if (!query.access_token || !valid.has(query.access_token)) return answer('user_info', query, {}, error(40001));
    const fail = injected('user_info');
    if (fail) return answer('user_info', query, {}, fail);
    if (!followers.has(query.openid ?? '')) return answer('user_info', query, {}, error(40003));
    const unionId = followers.get(query.openid ?? '');
    return answer('user_info', query, {}, { subscribe: 1, openid: query.openid, language: 'zh_CN', ...(unionId ? { unionid: unionId } : {}) });
  });

  const media = new Map<string, { bytes: Uint8Array; contentType: string }>();
  app.get('/cgi-bin/media/get', async (request, reply) => {
    const query = request.query as { access_token?: string; media_id?: string };
    if (!query.access_token || !valid.has(query.access_token)) return answer('media_get', query, {}, error(40001));
    const fail = injected('media_get');
    if (fail) return answer('media_get', query, {}, fail);
    const file = media.get(query.media_id ?? '');
    if (!file) return answer('media_get', query, {}, error(40007));
    answer('media_get', query, {}, { errcode: 0, bytes: file.bytes.length });
    return reply
      .type(file.contentType)
      .header('content-disposition', `attachment; filename="${query.media_id ?? ''}.jpg"`)
      .send(Buffer.from(file.bytes));
  });

  options.extend?.(app);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    requests,
    delivered: () =>
      requests
        .filter((r) => r.endpoint === 'custom_send' && r.answer.errcode === 0)
        .map((r) => ({
          touser: String(r.body.touser),
          content: String((r.body.text as { content: string }).content),
          accessToken: String(r.query.access_token),
        })),
    deliveredTemplates: (endpoint) =>
      requests
        .filter((r) => r.endpoint === endpoint && r.answer.errcode === 0 && r.answer.replayed !== true)
        .map((r) => ({
          touser: String(r.body.touser),
          templateId: String(r.body.template_id),
          data: Object.fromEntries(Object.entries(r.body.data as Record<string, { value: string }>).map(([k, v]) => [k, v.value])),
        })),
    issuePhoneCode(purePhoneNumber, issue = {}) {
      const code = randomBytes(16).toString('hex');
      phoneCodes.set(code, { purePhoneNumber, countryCode: issue.countryCode ?? '86', appid: issue.appid ?? options.appId });
      return code;
    },
    addFollower(openId, unionId) {
      followers.set(openId, unionId);
    },
    addMedia(mediaId, bytes, contentType) {
      media.set(mediaId, { bytes, contentType });
    },
    addTemplate(endpoint, templateId, fields) {
      templates[endpoint].set(templateId, fields);
    },
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
