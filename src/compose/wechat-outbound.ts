import type { Redis } from 'ioredis';
import { createAgentOutreach } from '../app/agent-outreach.ts';
import type { DirectoryCache } from '../app/directory.ts';
import type { Logger } from '../app/ports.ts';
import type { Config } from '../config/config.ts';
import type { TemplateSet } from '../conversation/templates.ts';
import type { Database } from '../db/open-database.ts';
import { buildMiniProgramChannel, miniProgramTokens } from '../channels/mini-program/mini-program-outbound.ts';
import { createAccessTokens, type AccessTokens } from '../channels/wechat/access-token.ts';
import { buildOfficialAccountChannel } from '../channels/official-account/official-account-outbound.ts';
import type { OutboundChannel } from '../app/ports.ts';

/**
 * The sending channels of WeChat's official apps, as configured: the Official Account's
 * ('official-account', with WECHAT_OA_APPID and WECHAT_OA_SECRET) and the mini-program's
 * ('mini-program', with WECHAT_MP_APPID and WECHAT_MP_SECRET). Both end in the same last resort, a
 * task for the village agent. Also answers both access tokens (the mini-program's API and the
 * Official Account's media download use them too).
 */
export function composeWeChatOutbound(input: {
  config: Config;
  redis: Redis;
  database: Database;
  directories: DirectoryCache;
  templates: TemplateSet;
  logger: Logger;
  now: () => number;
}): { channels: OutboundChannel[]; miniProgramTokens: AccessTokens | null; officialAccountTokens: AccessTokens | null } {
  const { config, redis, database, templates, logger, now } = input;
  const prefix = config.bullmqPrefix;
  const outreach = createAgentOutreach({ database, directory: () => input.directories.current(), templates });
  const statusLabel = (status: string) => (templates.has(`status.${status}`) ? templates.render(`status.${status}`, {}) : null);
  const channels: OutboundChannel[] = [];
  const oa = config.officialAccountOutbound;
  const oaTokens = oa ? createAccessTokens({ redis, prefix, appId: oa.appId, secret: oa.secret, apiBase: oa.apiBase }) : null;
  if (oa && oaTokens) channels.push(buildOfficialAccountChannel({ config: oa, tokens: oaTokens, database, logger, now, statusLabel, outreach }));
  const mp = config.miniProgram;
  const tokens = mp ? miniProgramTokens(mp, redis, prefix) : null;
  if (mp && tokens) channels.push(buildMiniProgramChannel({ config: mp, tokens, database, logger, now, statusLabel, outreach }));
  return { channels, miniProgramTokens: tokens, officialAccountTokens: oaTokens };
}
