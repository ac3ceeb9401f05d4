import type { Redis } from 'ioredis';
import type { Logger } from '../../app/ports.ts';
import type { Config } from '../../config/config.ts';
import type { Database } from '../../db/open-database.ts';
import { createAccessTokens, type AccessTokens } from '../wechat/access-token.ts';
import type { Outreach } from '../wechat/delivery-steps.ts';
import { readMessageTemplates, type SubscribeMessageSpec } from '../wechat/message-templates.ts';
import type { OutboundChannel } from '../../app/ports.ts';
import { createMiniProgramChannel } from './mini-program-channel.ts';

type MiniProgramConfig = NonNullable<Config['miniProgram']>;

/** The mini-program's access token (stable_token with its AppID and secret), cached in Redis apart from the Official Account's. */
export function miniProgramTokens(config: MiniProgramConfig, redis: Redis, prefix: string): AccessTokens {
  return createAccessTokens({ redis, prefix, app: 'wechat-mp', appId: config.appId, secret: config.secret, apiBase: config.apiBase });
}

/**
 * The subscribe templates of WECHAT_MP_TEMPLATES_PATH (the Official Account's file format, checked
 * now): a mini-program has subscribe messages only, and they open one of its own pages (`page`).
 */
export function readMiniProgramTemplates(path: string | null): SubscribeMessageSpec[] {
  if (!path) return [];
  const templates = readMessageTemplates(path);
  const problems = [
    ...(templates.template_messages.length ? ['template_messages: a mini-program has no template messages; list its templates under subscribe_messages'] : []),
    ...templates.subscribe_messages.flatMap((spec, i) =>
      spec.miniprogram ? [`subscribe_messages.${i}.miniprogram: use page (a page of this mini-program)`] : [],
    ),
  ];
  if (problems.length) throw new Error(`${path} does not validate:\n  ${problems.join('\n  ')}`);
  return templates.subscribe_messages;
}

/** Builds the 'mini-program' channel from its config: its own token, its templates file (checked now), then the agent task. */
export function buildMiniProgramChannel(input: {
  config: MiniProgramConfig;
  tokens: AccessTokens;
  database: Database;
  logger: Logger;
  now: () => number;
  statusLabel: (status: string) => string | null;
  outreach: Outreach;
}): OutboundChannel {
  return createMiniProgramChannel({
    database: input.database,
    tokens: input.tokens,
    apiBase: input.config.apiBase,
    subscribeMessages: readMiniProgramTemplates(input.config.templatesPath),
    state: input.config.state,
    statusLabel: input.statusLabel,
    outreach: input.outreach,
    logger: input.logger,
    now: input.now,
  });
}
