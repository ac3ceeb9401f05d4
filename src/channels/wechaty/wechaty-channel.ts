import type { Logger } from '../../app/ports.ts';
import type { Database } from '../../db/open-database.ts';
import { linkByKey } from '../../db/wechaty-repository.ts';
import { PermanentDeliveryError, type OutboundChannel } from '../../app/ports.ts';
import { WECHATY_CHANNEL } from './message-conversion.ts';
import type { SendKind, SendThrottle } from './send-throttle.ts';

/**
 * The sending side of the personal-WeChat channel: outbox rows name a stable key (a contact's or a
 * room's), which is looked up to the id of the current session and said through the live account,
 * paced by the account's throttle. Only the process holding the login can send: while it is logged
 * out, messages wait (without using up attempts) and a send that races a logout fails retryably.
 */

/** The live account as the channel needs it (the session implements it over Wechaty). */
export interface Account {
  loggedIn(): boolean;
  /** Says a text to a contact or room of the current session; false when the session has no such id. */
  say(target: { kind: 'contact' | 'room'; id: string }, text: string): Promise<boolean>;
}

/** Retryable: the account is not logged in (the outbox tries again later). */
export class WechatyOfflineError extends Error {
  override name = 'WechatyOfflineError';
}

/** While logged out, a message is looked at again after this long. */
const OFFLINE_WAIT_MS = 5_000;

export interface PacedSender {
  /** Waits for the account's next sending slot, then runs `send`; refuses (retryably) a notification over the daily cap. */
  paced<T>(kind: SendKind, send: () => Promise<T>): Promise<T>;
}

export function createPacedSender(throttle: SendThrottle, wallClock: () => number, sleep: (ms: number) => Promise<void>): PacedSender {
  return {
    async paced(kind, send) {
      const now = wallClock();
      const slot = throttle.reserve(now, kind);
      if (slot.kind === 'capped') throw new Error(`the account's daily cap is reached; notifications wait until ${new Date(slot.retryAt).toISOString()}`);
      if (slot.at > now) await sleep(slot.at - now);
      return send();
    },
  };
}

export interface WechatyChannel extends OutboundChannel {
  /** How long the outbox should hold a message back before trying (logged out, or the day's cap reached); 0: now. */
  holdMs(): number;
}

export function createWechatyChannel(deps: {
  database: Database;
  account: Account;
  throttle: SendThrottle;
  sender: PacedSender;
  wallClock: () => number;
  logger: Logger;
}): WechatyChannel {
  const { database, account, logger } = deps;
  let cappedDay: number | null = null;
  return {
    name: WECHATY_CHANNEL,
    holdMs() {
      if (!account.loggedIn()) return OFFLINE_WAIT_MS;
      const now = deps.wallClock();
      const until = deps.throttle.cappedUntil(now);
      if (until === null) return 0;
      if (cappedDay !== until) {
        cappedDay = until;
        logger.error(
          { sentToday: deps.throttle.sentToday(now), resumesAt: new Date(until).toISOString() },
          "wechaty: the account's daily sending cap (WECHATY_DAILY_CAP) is reached; notifications wait in the outbox until tomorrow",
        );
      }
      return until - now;
    },
    async send(message) {
      const key = message.room ?? message.recipient;
      if (key === null) throw new PermanentDeliveryError('the message has neither a room nor a recipient');
      const link = linkByKey(database, key);
      if (!link) throw new PermanentDeliveryError(`${key} is not a wechaty contact or room known to Daiban`);
      if (!account.loggedIn()) throw new WechatyOfflineError('the wechaty account is not logged in');
      if (link.wechatyId === null) throw new Error(`${link.kind} ${key} (${link.name}) was not found again after the last login; it needs a new bind code`);
      const target = { kind: link.kind, id: link.wechatyId };
      const said = await deps.sender.paced('notification', () => account.say(target, message.text));
      if (!said) throw new Error(`${link.kind} ${key} (${link.name}) is not in the current session`);
    },
  };
}
