import type { Redis } from 'ioredis';
import type { DirectoryCache } from '../../app/directory.ts';
import type { Config } from '../../config/config.ts';
import type { Database } from '../../db/open-database.ts';
import { createMessageCrypto } from '../official-account/message-crypto.ts';
import type { OutboundChannel } from '../outbound-channel.ts';
import { createAppMessageChannel, createWeComTokens } from './app-message-channel.ts';
import type { WeComCallbackDeps } from './callback-routes.ts';
import { createRobotMentions } from './robot-mentions.ts';
import { createRobotChannel, ROBOT_PER_MINUTE } from './robot-channel.ts';
import { createSlidingWindowLimit } from './sliding-window-limit.ts';

/** WeCom's part of the composition: its outbound channels (app, robots) and its callback's deps. */
export function composeWeCom(input: {
  config: Pick<Config, 'wecom' | 'wecomRobots' | 'bullmqPrefix'>;
  redis: Redis;
  database: Database;
  directories: DirectoryCache;
}): { channels: OutboundChannel[]; callback: Omit<WeComCallbackDeps, 'inbound' | 'clock'> | null } {
  const { config, redis } = input;
  const prefix = `${config.bullmqPrefix}:daiban:wecom`;
  const channels: OutboundChannel[] = [];
  const app = config.wecom;
  if (app) {
    const tokens = createWeComTokens({ redis, prefix: config.bullmqPrefix, corpId: app.corpId, agentId: app.agentId, secret: app.secret, apiBase: app.apiBase });
    const limit = (name: string, max: number, windowMs: number) => createSlidingWindowLimit({ redis, keyPrefix: `${prefix}:${app.agentId}:${name}`, max, windowMs });
    channels.push(
      createAppMessageChannel({
        tokens,
        apiBase: app.apiBase,
        agentId: app.agentId,
        limits: { perMinute: limit('member-minute', 30, 60_000), perHour: limit('member-hour', 1000, 3_600_000) },
      }),
    );
  }
  const robots = config.wecomRobots;
  if (robots) {
    channels.push(
      createRobotChannel({
        apiBase: robots.apiBase,
        robots: robots.robots,
        limit: createSlidingWindowLimit({ redis, keyPrefix: `${prefix}:robot`, max: ROBOT_PER_MINUTE, windowMs: 60_000 }),
        mentions: createRobotMentions(input.database, input.directories),
      }),
    );
  }
  const [current, previous] = app?.callback?.encodingAesKeys ?? [];
  const callback =
    app?.callback && current
      ? {
          token: app.callback.token,
          corpId: app.corpId,
          agentId: app.agentId,
          crypto: createMessageCrypto({ appId: app.corpId, encodingAesKey: current, previousEncodingAesKey: previous }),
        }
      : null;
  return { channels, callback };
}
