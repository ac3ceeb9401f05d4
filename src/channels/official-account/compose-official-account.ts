import type { Redis } from 'ioredis';
import type { DirectoryCache } from '../../app/directory.ts';
import { forgetChannelIdentity } from '../../app/forget-identity.ts';
import type { InboundHandler } from '../../app/inbound-handler.ts';
import type { Logger, OutboxDispatch } from '../../app/ports.ts';
import type { Config } from '../../config/config.ts';
import type { TemplateSet } from '../../conversation/templates.ts';
import type { Database } from '../../db/open-database.ts';
import { insertOutbox } from '../../db/outbox-repository.ts';
import { claimOneUseKey } from '../../db/signed-request-repository.ts';
import { grantSubscribeCredits } from '../../db/subscribe-credits-repository.ts';
import { readMenuFile } from './custom-menu.ts';
import { createMessageCrypto } from '../wechat/message-crypto.ts';
import { OFFICIAL_ACCOUNT_CHANNEL } from './push-handling.ts';
import type { OfficialAccountDeps } from './webhook-deps.ts';

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
    async followUp(openId, texts, messageId) {
      if (!p.canSend) {
        logger.warn({ parts: texts.length }, 'official account: a reply did not fit the passive answer and WECHAT_OA_SECRET is not set; the rest is not sent');
        return;
      }
      const messages = texts.map((text, i) => ({
        channel: OFFICIAL_ACCOUNT_CHANNEL,
        recipient: openId,
        room: null,
        text,
        kind: 'notification' as const,
        // One push's follow-ups are written once, however often WeChat delivers the push.
        dedupeKey: `oa-follow-up-${messageId}-${i}`,
      }));
      const ids = database.write(() => insertOutbox(database, messages, clock()));
      // Redis away: the rows wait for the outbox sweeper.
      await p.dispatch.enqueue(ids).catch((error: unknown) => logger.warn({ err: error }, 'official account: follow-up deferred to the outbox sweeper'));
    },
    claimOneUse: (key) => database.write(() => claimOneUseKey(database, key, clock())),
    forget: (openId) => void forgetChannelIdentity(database, OFFICIAL_ACCOUNT_CHANNEL, openId, clock()),
    grantCredits(openId, templateIds) {
      database.write(() => {
        for (const templateId of templateIds) grantSubscribeCredits(database, { app: 'official-account', openId, templateId }, 1, clock());
      });
    },
  };
}
