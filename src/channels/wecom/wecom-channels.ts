import type { Redis } from 'ioredis';
import type { Directory, DirectoryCache } from '../../app/directory.ts';
import type { Logger } from '../../app/ports.ts';
import type { Config } from '../../config/config.ts';
import type { Database } from '../../db/open-database.ts';
import { createMessageCrypto } from '../wechat/message-crypto.ts';
import type { OutboundChannel } from '../../app/ports.ts';
import { createAppMessageChannel, createWeComTokens } from './app-message-channel.ts';
import type { WeComCallbackDeps } from './callback-deps.ts';
import { createRobotMentions } from './robot-mentions.ts';
import { createRobotChannel, ROBOT_PER_MINUTE, WECOM_ROBOT_CHANNEL } from './robot-channel.ts';
import { createSlidingWindowLimit } from './sliding-window-limit.ts';

/** WeCom's part of the composition: its outbound channels (app, robots) and its callback's deps. */
export function composeWeCom(input: {
  config: Pick<Config, 'wecom' | 'wecomRobots' | 'bullmqPrefix'>;
  redis: Redis;
  database: Database;
  directories: DirectoryCache;
  logger: Logger;
}): { channels: OutboundChannel[]; callback: Omit<WeComCallbackDeps, 'inbound' | 'clock'> | null } {
  const { config, redis } = input;
  const prefix = `${config.bullmqPrefix}:daiban:wecom`;
  const channels: OutboundChannel[] = [];
  const app = config.wecom;
  if (app) {
    const tokens = createWeComTokens({
      redis,
      prefix: config.bullmqPrefix,
      corpId: app.corpId,
      agentId: app.agentId,
      secret: app.secret,
      apiBase: app.apiBase,
    });
    const limit = (name: string, max: number, windowMs: number) =>
      createSlidingWindowLimit({ redis, keyPrefix: `${prefix}:${app.agentId}:${name}`, max, windowMs });
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
    const mismatch = robotBindingProblems(input.directories.current(), robots.robots);
    if (mismatch.length) input.logger.warn({ problems: mismatch }, "wecom: WECOM_ROBOTS and the roster's wecom-robot rooms do not match");
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

/** Roster rooms of channel `wecom-robot` that no robot posts for, and bindings that name no such room. */
export function robotBindingProblems(directory: Directory, robots: readonly { room: string }[]): string[] {
  const bound = new Set(robots.map((r) => r.room));
  const townships = new Set(directory.villages.map((v) => directory.village(v.code)?.townshipCode ?? ''));
  const rooms = [...directory.villages.flatMap((v) => directory.agentRooms(v.code)), ...[...townships].flatMap((t) => directory.centreRooms(t))];
  const known = new Set(robots.map((r) => r.room).filter((room) => directory.room(WECOM_ROBOT_CHANNEL, room)));
  const unbound = rooms
    .filter((r) => r.channel === WECOM_ROBOT_CHANNEL && !bound.has(r.externalId))
    .map((r) => `room ${r.externalId} has no robot in WECOM_ROBOTS`);
  const unknown = robots.filter((r) => !known.has(r.room)).map((r) => `WECOM_ROBOTS binds ${r.room}, which is not a wecom-robot room of the roster (yet)`);
  return [...unbound, ...unknown];
}
