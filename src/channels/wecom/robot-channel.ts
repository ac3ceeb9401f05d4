import { createHash } from 'node:crypto';
import { createPartSender } from '../wechat/part-sender.ts';
import { PermanentDeliveryError, type OutboundChannel, type OutboundMessage } from '../../app/ports.ts';
import { splitMessage } from '../wechat/message-split.ts';
import { postWeChatJson, WeChatApiError } from '../wechat/wechat-api.ts';
import { ruleOf } from '../wechat/errcode-policy.ts';
import type { SlidingWindowLimit } from './sliding-window-limit.ts';
import { ROBOT_POLICY } from './wecom-errcodes.ts';

/**
 * WeCom group robots (群机器人) as an outbound channel for agents' and centre rooms: a roster room of
 * channel `wecom-robot` posts through the robot whose webhook key WECOM_ROBOTS binds to it, with
 * `POST {base}/cgi-bin/webhook/send?key=…` {msgtype: 'text', text: {content, mentioned_list}}.
 *
 * - Post-only: nobody can talk to the bot through a robot (agents use the WeCom app for that).
 * - ≤ 20 messages a minute per robot, shared by every process and by every room on the same robot:
 *   `waitMs` (asked by the outbox worker before each message) holds a message back until the robot
 *   has room for all its parts, without using up its attempts.
 * - Text over 2,048 bytes is split at line boundaries; each part is one of the robot's messages.
 * - `mentioned_list`: the WeCom UserIDs of the people the message concerns (from its errand), on the
 *   first part only.
 * - A wrong or removed webhook (93000) and other refusals that cannot change are dead letters naming
 *   the code (wecom-errcodes.ts); 45009 (over WeCom's frequency limit), −1 (busy) and the unknown are retried.
 */

export const WECOM_ROBOT_CHANNEL = 'wecom-robot';
export const ROBOT_MAX_BYTES = 2048;
export const ROBOT_PER_MINUTE = 20;

export interface RobotChannelOptions {
  apiBase: string;
  /** room (the roster room's id) → the robot's webhook key. */
  robots: readonly { room: string; key: string }[];
  /** Per robot (keyed by a hash of its webhook key), `ROBOT_PER_MINUTE` a minute. */
  limit: SlidingWindowLimit;
  /** The WeCom UserIDs a message should @mention. */
  mentions?: (message: OutboundMessage) => readonly string[];
  timeoutMs?: number;
}

export interface RobotChannel extends OutboundChannel {
  waitMs(message: { room: string | null; text: string }): Promise<number>;
}

/** The robot's name in Redis and logs: never the key itself (it lets anyone post in the group). */
const robotId = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 16);

export function createRobotChannel(options: RobotChannelOptions): RobotChannel {
  const keys = new Map(options.robots.map((r) => [r.room, r.key]));
  /** dedupeKey → how many parts the robot took (only while a split message is not fully sent). */
  const partSender = createPartSender();

  const keyOf = (room: string | null): string => {
    if (room === null) throw new PermanentDeliveryError('wecom-robot: a group robot posts only in its room; this message has no room');
    const key = keys.get(room);
    if (!key) throw new PermanentDeliveryError(`wecom-robot: no robot is bound to room ${room} (add ${room}=<webhook key> to WECOM_ROBOTS)`);
    return key;
  };

  async function post(key: string, content: string, mentioned: readonly string[]): Promise<void> {
    const url = `${options.apiBase}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`;
    const text = mentioned.length ? { content, mentioned_list: [...mentioned] } : { content };
    await postWeChatJson(url, { msgtype: 'text', text }, options.timeoutMs);
  }

  return {
    name: WECOM_ROBOT_CHANNEL,
    async waitMs({ room, text }) {
      // An unbound room is refused by send (a dead letter naming the room), not held back here.
      const key = room === null ? undefined : keys.get(room);
      // A split message waits until the robot has room for all its parts.
      return key === undefined ? 0 : options.limit.take(robotId(key), splitMessage(text, ROBOT_MAX_BYTES).length);
    },
    async send(message) {
      const key = keyOf(message.room);
      const parts = splitMessage(message.text, ROBOT_MAX_BYTES);
      const mentioned = options.mentions?.(message) ?? [];
      try {
        await partSender.send(message.dedupeKey, parts, (part, i) => post(key, part, i === 0 ? mentioned : []));
      } catch (error) {
        const rule = error instanceof WeChatApiError ? ruleOf(ROBOT_POLICY, error.errcode) : null;
        if (error instanceof WeChatApiError && rule && rule.action !== 'retry') {
          partSender.forget(message.dedupeKey);
          throw new PermanentDeliveryError(`wecom-robot: WeCom errcode ${error.errcode} (${rule.meaning}) for room ${message.room ?? ''}: ${error.errmsg}`, {
            cause: error,
          });
        }
        throw error;
      }
    },
  };
}
