import { z } from 'zod';
import { miniProgramConfig, miniProgramEnv, miniProgramProblems, type MiniProgramConfig } from './mini-program-config.ts';

/**
 * The configuration of the WeChat channels (Official Account, mini-program, WeCom, Wechaty): their
 * environment keys, the rules between those keys, the part of the Config they make, and its
 * redaction for logs. config.ts merges them into the one configuration.
 */

/** The EncodingAESKey of the WeChat platform: 43 base64 characters (the key's base64 without its '='). */
const encodingAesKey = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}$/, "must be the 43-character EncodingAESKey from the WeChat platform (letters, digits, + and /, no '=')");

export const channelEnvShape = {
  WECHAT_OA_APPID: z
    .string()
    .regex(/^wx[0-9a-zA-Z]{10,30}$/, "must be the account's AppID (wx…)")
    .optional(),
  WECHAT_OA_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9]{3,32}$/, 'must be 3–32 letters or digits, as set on the WeChat platform')
    .optional(),
  WECHAT_OA_ENCODING_AES_KEY: encodingAesKey.optional(),
  WECHAT_OA_ENCODING_AES_KEY_PREVIOUS: encodingAesKey.optional(),
  WECHAT_OA_SECRET: z
    .string()
    .regex(/^[0-9a-zA-Z]{16,64}$/, "must be the account's AppSecret (letters and digits)")
    .optional(),
  ...miniProgramEnv,
  WECHAT_API_BASE: z
    .string()
    .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'must be an http(s) URL like https://api.weixin.qq.com')
    .transform((v) => v.replace(/\/+$/, ''))
    .default('https://api.weixin.qq.com'),
  WECHAT_OA_MENU_FILE: z.string().min(1).default('data/wechat-menu.yaml'),
  WECHAT_OA_REPLY_BUDGET_MS: z.coerce.number({ error: 'must be a number' }).int().min(100).max(4500).default(4000),
  WECOM_API_BASE: z
    .string()
    .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'must be an http(s) URL like https://qyapi.weixin.qq.com')
    .transform((v) => v.replace(/\/+$/, ''))
    .default('https://qyapi.weixin.qq.com'),
  WECOM_CORP_ID: z
    .string()
    .regex(/^w[wx][0-9a-zA-Z]{10,30}$/, "must be the organisation's CorpID (ww…)")
    .optional(),
  WECOM_AGENT_ID: z
    .string()
    .regex(/^\d{1,10}$/, "must be the app's AgentId (digits)")
    .optional(),
  WECOM_SECRET: z
    .string()
    .regex(/^[0-9a-zA-Z_-]{16,64}$/, "must be the app's Secret (letters, digits, - and _)")
    .optional(),
  WECOM_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9]{3,32}$/, "must be 3–32 letters or digits, as set in the app's callback settings")
    .optional(),
  WECOM_ENCODING_AES_KEY: encodingAesKey.optional(),
  WECOM_ENCODING_AES_KEY_PREVIOUS: encodingAesKey.optional(),
  WECOM_ROBOTS: z
    .string()
    .transform((v, ctx) => {
      const robots = parseRobotBindings(v);
      if (typeof robots === 'string') {
        ctx.addIssue({ code: 'custom', message: robots });
        return z.NEVER;
      }
      return robots;
    })
    .optional(),
  WECHAT_OA_TEMPLATES_PATH: z.string().min(1).optional(),
  WECHAT_OA_CS_ALLOWANCE: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0–5').max(5, 'must be 0–5').default(5),
  WECHATY_PUPPET: z
    .string()
    .regex(
      /^(@[a-z0-9-]+\/)?wechaty-puppet-[a-z0-9-]+$/,
      'must be a puppet package name such as wechaty-puppet-wechat4u, wechaty-puppet-service or wechaty-puppet-mock',
    )
    .optional(),
  WECHATY_PUPPET_TOKEN: z.string().trim().min(1).max(200).optional(),
  WECHATY_NAME: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/, 'lower-case letters, digits, - and _ only (it names the login session file)')
    .default('daiban'),
  WECHATY_SEND_GAP_MS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0)
    .max(60_000, 'at most 60000 (a minute)')
    .default(3000),
  WECHATY_SEND_JITTER_MS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0)
    .max(60_000, 'at most 60000 (a minute)')
    .default(2000),
  WECHATY_DAILY_CAP: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1).max(100_000).default(300),
  WECHATY_FRIEND_CAP: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0).max(1_000).default(50),
};

type ChannelEnv = z.infer<z.ZodObject<typeof channelEnvShape>>;

/**
 * WECOM_ROBOTS: which roster room (channel `wecom-robot`) posts through which group-robot webhook
 * key, as `room=key` pairs separated by commas or new lines. Rooms that give the same key share that
 * robot (and its 20 messages a minute). Returns the bindings, or what is wrong with the text.
 */
export function parseRobotBindings(text: string): { room: string; key: string }[] | string {
  const bindings: { room: string; key: string }[] = [];
  for (const entry of text
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter(Boolean)) {
    const m = /^([^\s=]{1,200})\s*=\s*([A-Za-z0-9-]{8,64})$/.exec(entry);
    if (!m) return `"${entry.replace(/=.*/, '=…')}" must be room=key (the key of the robot's webhook URL …/webhook/send?key=<key>)`;
    if (bindings.some((b) => b.room === m[1])) return `room ${m[1]} is bound to a robot twice`;
    bindings.push({ room: m[1]!, key: m[2]! });
  }
  return bindings;
}

/** Problems between the channels' keys (and ROLE=bot, which needs a puppet). */
export function channelKeyProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.WECHAT_OA_ENCODING_AES_KEY && !env.WECHAT_OA_APPID)
    problems.push('WECHAT_OA_APPID: is required when WECHAT_OA_ENCODING_AES_KEY is set (every encrypted message ends with the AppID, which is checked)');
  if (env.WECHAT_OA_ENCODING_AES_KEY_PREVIOUS && !env.WECHAT_OA_ENCODING_AES_KEY)
    problems.push('WECHAT_OA_ENCODING_AES_KEY_PREVIOUS: is only used next to WECHAT_OA_ENCODING_AES_KEY (the current key); set that one too');
  if (env.WECHAT_OA_TEMPLATES_PATH && !env.WECHAT_OA_SECRET)
    problems.push('WECHAT_OA_SECRET: is required when WECHAT_OA_TEMPLATES_PATH is set (template and subscribe messages are sent with an access token)');
  if (env.WECHAT_OA_SECRET && !env.WECHAT_OA_APPID)
    problems.push('WECHAT_OA_APPID: is required when WECHAT_OA_SECRET is set (access tokens are fetched for an AppID and its secret)');
  // The WeCom app: sending needs CorpID, AgentId and Secret; the callback needs those too (its replies
  // go out through the app message API) and the token and EncodingAESKey (callbacks are always encrypted).
  const callback = Boolean(env.WECOM_TOKEN || env.WECOM_ENCODING_AES_KEY);
  if (callback || env.WECOM_SECRET || env.WECOM_AGENT_ID) {
    for (const key of ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET'] as const) {
      if (!env[key]) problems.push(`${key}: is required for the WeCom app (set WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_SECRET together)`);
    }
  }
  if (callback && !env.WECOM_TOKEN) problems.push('WECOM_TOKEN: is required with WECOM_ENCODING_AES_KEY (the callback checks msg_signature with it)');
  if (callback && !env.WECOM_ENCODING_AES_KEY) problems.push('WECOM_ENCODING_AES_KEY: is required with WECOM_TOKEN (WeCom callbacks are always encrypted)');
  if (env.WECOM_ENCODING_AES_KEY_PREVIOUS && !env.WECOM_ENCODING_AES_KEY)
    problems.push('WECOM_ENCODING_AES_KEY_PREVIOUS: is only used next to WECOM_ENCODING_AES_KEY (the current key); set that one too');
  if (env.ROLE?.split(',').some((r) => r.trim() === 'bot') && !env.WECHATY_PUPPET)
    problems.push('WECHATY_PUPPET: is required when ROLE includes bot (the bot role runs the personal-WeChat session)');
  if (env.WECHATY_PUPPET_TOKEN && !env.WECHATY_PUPPET) problems.push('WECHATY_PUPPET: is required when WECHATY_PUPPET_TOKEN is set');
  problems.push(...miniProgramProblems(env));
  return problems;
}

export interface ChannelConfig {
  /**
   * The Official Account webhook; null when WECHAT_OA_TOKEN is unset (no routes). `encodingAesKeys`
   * turns on safe and compatible mode: the current key first, then the previous one during a rotation
   * (empty: plain mode only).
   */
  officialAccount: {
    appId: string | undefined;
    token: string;
    encodingAesKeys: string[];
    /** The custom menu file (its click keys stand for words). */
    menuPath: string;
    /** A passive reply not ready by then is sent through the customer-service API instead (WeChat waits 5 s). */
    replyBudgetMs: number;
  } | null;
  /**
   * Sending to Official Account followers (customer-service messages); null unless both
   * WECHAT_OA_APPID and WECHAT_OA_SECRET are set. `apiBase` is WeChat's API (a fake one in tests).
   */
  officialAccountOutbound: {
    appId: string;
    secret: string;
    apiBase: string;
    /** Template and subscribe messages beyond the customer-service allowance (null: none, straight to the agent task). */
    templatesPath: string | null;
    /** Customer-service messages sent per 48-hour window after a follower's message (WeChat allows 5; 0: never). */
    customerServiceAllowance: number;
  } | null;
  /**
   * The WeCom (企业微信) app: agents' messages arrive at GET/POST /wechat/wecom when `callback` is
   * set, and every message to a `wecom` identity (replies included) goes out through the app message
   * API. Null unless WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_SECRET are set.
   */
  wecom: { corpId: string; agentId: number; secret: string; apiBase: string; callback: { token: string; encodingAesKeys: string[] } | null } | null;
  /** Group robots (群机器人) posting for roster rooms of channel `wecom-robot`; null when WECOM_ROBOTS is unset. */
  wecomRobots: { apiBase: string; robots: { room: string; key: string }[] } | null;
  /**
   * The personal-WeChat channel through Wechaty; null unless WECHATY_PUPPET is set. Sends from the
   * account are spaced by `sendGapMs` plus up to `jitterMs`, and at most `dailyCap` notifications go
   * out per day (Asia/Shanghai).
   */
  wechaty: {
    puppet: string;
    token: string | undefined;
    name: string;
    sendGapMs: number;
    jitterMs: number;
    dailyCap: number;
    /** Friend requests accepted per day (Asia/Shanghai); 0: none are accepted by the bot. */
    friendCap: number;
  } | null;
  miniProgram: MiniProgramConfig;
}

export function channelConfig(e: ChannelEnv): ChannelConfig {
  return {
    officialAccount: e.WECHAT_OA_TOKEN
      ? {
          appId: e.WECHAT_OA_APPID,
          token: e.WECHAT_OA_TOKEN,
          encodingAesKeys: [e.WECHAT_OA_ENCODING_AES_KEY, e.WECHAT_OA_ENCODING_AES_KEY_PREVIOUS].filter((k): k is string => k !== undefined),
          menuPath: e.WECHAT_OA_MENU_FILE,
          replyBudgetMs: e.WECHAT_OA_REPLY_BUDGET_MS,
        }
      : null,
    officialAccountOutbound:
      e.WECHAT_OA_APPID && e.WECHAT_OA_SECRET
        ? {
            appId: e.WECHAT_OA_APPID,
            secret: e.WECHAT_OA_SECRET,
            apiBase: e.WECHAT_API_BASE,
            templatesPath: e.WECHAT_OA_TEMPLATES_PATH ?? null,
            customerServiceAllowance: e.WECHAT_OA_CS_ALLOWANCE,
          }
        : null,
    wecom:
      e.WECOM_CORP_ID && e.WECOM_AGENT_ID && e.WECOM_SECRET
        ? {
            corpId: e.WECOM_CORP_ID,
            agentId: Number(e.WECOM_AGENT_ID),
            secret: e.WECOM_SECRET,
            apiBase: e.WECOM_API_BASE,
            callback:
              e.WECOM_TOKEN && e.WECOM_ENCODING_AES_KEY
                ? {
                    token: e.WECOM_TOKEN,
                    encodingAesKeys: [e.WECOM_ENCODING_AES_KEY, e.WECOM_ENCODING_AES_KEY_PREVIOUS].filter((k): k is string => k !== undefined),
                  }
                : null,
          }
        : null,
    wecomRobots: e.WECOM_ROBOTS?.length ? { apiBase: e.WECOM_API_BASE, robots: e.WECOM_ROBOTS } : null,
    wechaty: e.WECHATY_PUPPET
      ? {
          puppet: e.WECHATY_PUPPET,
          token: e.WECHATY_PUPPET_TOKEN,
          name: e.WECHATY_NAME,
          sendGapMs: e.WECHATY_SEND_GAP_MS,
          jitterMs: e.WECHATY_SEND_JITTER_MS,
          dailyCap: e.WECHATY_DAILY_CAP,
          friendCap: e.WECHATY_FRIEND_CAP,
        }
      : null,
    miniProgram: miniProgramConfig(e, e.WECHAT_API_BASE),
  };
}

/** The channels' part of the configuration with secrets replaced. */
export function redactChannelConfig(config: ChannelConfig): Record<string, unknown> {
  return {
    officialAccount: config.officialAccount && {
      ...config.officialAccount,
      token: '[redacted]',
      encodingAesKeys: config.officialAccount.encodingAesKeys.map(() => '[redacted]'),
    },
    officialAccountOutbound: config.officialAccountOutbound && { ...config.officialAccountOutbound, secret: '[redacted]' },
    wecom: config.wecom && {
      ...config.wecom,
      secret: '[redacted]',
      callback: config.wecom.callback && { token: '[redacted]', encodingAesKeys: config.wecom.callback.encodingAesKeys.map(() => '[redacted]') },
    },
    // A robot's webhook key lets anyone post in its group.
    wecomRobots: config.wecomRobots && { ...config.wecomRobots, robots: config.wecomRobots.robots.map((r) => ({ room: r.room, key: '[redacted]' })) },
    wechaty: config.wechaty && { ...config.wechaty, token: config.wechaty.token && '[redacted]' },
    miniProgram: config.miniProgram && { ...config.miniProgram, secret: '[redacted]' },
  };
}
