import type { Redis } from 'ioredis';
import type { DirectoryCache } from '../app/directory.ts';
import { forgetChannelIdentity } from '../app/forget-identity.ts';
import type { InboundHandler } from '../app/inbound-handler.ts';
import type { Logger, OutboxDispatch } from '../app/ports.ts';
import type { Config } from '../config/config.ts';
import type { TemplateSet } from '../conversation/templates.ts';
import type { Database } from '../db/open-database.ts';
import { claimOneUseKey } from '../db/signed-request-repository.ts';
import { settleReplies } from '../app/reply-settlement.ts';
import { acceptSubscriptions } from '../app/subscribe-credits.ts';
import { readMenuFile } from '../channels/official-account/custom-menu.ts';
import { createMessageCrypto } from '../channels/wechat/message-crypto.ts';
import { OFFICIAL_ACCOUNT_CHANNEL } from '../channels/official-account/push-handling.ts';
import type { OfficialAccountDeps } from '../channels/official-account/webhook-deps.ts';

/** The webhook's dependencies, from the config and the process's parts. */
export function officialAccountEdge(p: {
  config: NonNullable<Config['officialAccount']>;
  /** Customer-service sending is configured (APPID + SECRET): follow-ups can go out. */
  canSend: boolean;
  database: Database;
  inbound: InboundHandler;
  directories: DirectoryCache;
  templates: TemplateSet;
  dispatch: OutboxDispatch;
  clock: () => number;
  logger: Logger;
  /** Shared by the web processes: which pushes were answered late (see OfficialAccountDeps.lateMarks). */
  redis?: { redis: Redis; prefix: string };
}): OfficialAccountDeps {
  const { config: oa, database, clock, logger } = p;
  const [current, previous] = oa.encodingAesKeys;
  // loadConfig requires the AppID whenever a key is set.
  const crypto = current && oa.appId ? createMessageCrypto({ appId: oa.appId, encodingAesKey: current, previousEncodingAesKey: previous }) : undefined;
  const menu = readMenuFile(oa.menuPath);
  const shared = p.redis;
  const lateKey = (messageId: string) => `${shared?.prefix ?? ''}:daiban:oa-late:${messageId}`;
  return {
    ...(shared
      ? {
          lateMarks: {
            mark: async (messageId: string) => {
              // WeChat gives up on a push after three deliveries 5 s apart: five minutes is plenty.
              await shared.redis
                .set(lateKey(messageId), '1', 'EX', 300)
                .catch((error: unknown) => logger.warn({ err: error }, 'official account: late-reply mark not stored (Redis away?)'));
            },
            has: async (messageId: string) => (await shared.redis.exists(lateKey(messageId)).catch(() => 0)) === 1,
          },
        }
      : {}),
    token: oa.token,
    crypto,
    clock,
    menu: menu.says,
    replyBudgetMs: oa.replyBudgetMs,
    respond: (message) => p.inbound.submit(message),
    render: (template) => p.templates.render(template, { county: p.directories.current().county }),
    settle: (s) =>
      settleReplies(
        { database, dispatch: p.dispatch, logger, clock, canSendLater: p.canSend },
        { channel: OFFICIAL_ACCOUNT_CHANNEL, recipient: s.openId, messageId: s.messageId, sentReplyIds: s.sentReplyIds, answered: s.answered, later: s.later },
      ),
    claimOneUse: (key) => database.write(() => claimOneUseKey(database, key, clock())),
    forget: (openId) => void forgetChannelIdentity(database, OFFICIAL_ACCOUNT_CHANNEL, openId, clock()),
    grantCredits: (openId, templateIds) => acceptSubscriptions(database, 'official-account', openId, templateIds, clock()),
  };
}
