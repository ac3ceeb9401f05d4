import { z } from 'zod';

/**
 * The mini-program's keys of the environment (part of config.ts's envSchema) and the piece of the
 * configuration they make: the API (/api/mp/…) with WECHAT_MP_APPID and WECHAT_MP_SECRET, and the
 * sender of notifications to mini-program users (subscribe messages, then the agent's task).
 */

export const miniProgramEnv = {
  WECHAT_MP_APPID: z
    .string()
    .regex(/^wx[0-9a-zA-Z]{10,30}$/, "must be the mini-program's AppID (wx…)")
    .optional(),
  WECHAT_MP_SECRET: z
    .string()
    .regex(/^[0-9a-zA-Z]{16,64}$/, "must be the mini-program's AppSecret (letters and digits)")
    .optional(),
  WECHAT_MP_SESSION_DAYS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be 1–90')
    .max(90, 'must be 1–90')
    .default(7),
  WECHAT_MP_TEMPLATES_PATH: z.string().min(1).optional(),
  WECHAT_MP_STATE: z.enum(['developer', 'trial', 'formal'], { error: 'must be developer, trial or formal' }).default('formal'),
};

/**
 * The mini-program API (/api/mp/…); null unless WECHAT_MP_APPID and WECHAT_MP_SECRET are both set.
 * `sessionMs`: how long one of our session tokens stays valid after login.
 */
export type MiniProgramConfig = {
  appId: string;
  secret: string;
  apiBase: string;
  sessionMs: number;
  /** The subscribe templates per notification kind (WECHAT_MP_TEMPLATES_PATH); null: every notification becomes the agent's task. */
  templatesPath: string | null;
  /** Which version of the mini-program a subscribe message opens (miniprogram_state). */
  state: 'developer' | 'trial' | 'formal';
} | null;

/** Problems between the mini-program's keys. */
export function miniProgramProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (Boolean(env.WECHAT_MP_APPID) !== Boolean(env.WECHAT_MP_SECRET))
    problems.push(
      'WECHAT_MP_APPID, WECHAT_MP_SECRET: set both or neither (the mini-program API logs users in with jscode2session, which needs the AppID and its secret)',
    );
  if (env.WECHAT_MP_TEMPLATES_PATH && !env.WECHAT_MP_APPID)
    problems.push("WECHAT_MP_APPID: is required when WECHAT_MP_TEMPLATES_PATH is set (subscribe messages go out with the mini-program's access token)");
  return problems;
}

type MiniProgramKeys = z.output<ReturnType<typeof z.object<typeof miniProgramEnv>>>;

export function miniProgramConfig(e: MiniProgramKeys, apiBase: string): MiniProgramConfig {
  if (!e.WECHAT_MP_APPID || !e.WECHAT_MP_SECRET) return null;
  return {
    appId: e.WECHAT_MP_APPID,
    secret: e.WECHAT_MP_SECRET,
    apiBase,
    sessionMs: e.WECHAT_MP_SESSION_DAYS * 86_400_000,
    templatesPath: e.WECHAT_MP_TEMPLATES_PATH ?? null,
    state: e.WECHAT_MP_STATE,
  };
}
