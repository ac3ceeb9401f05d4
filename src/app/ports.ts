/**
 * What the application needs from the outside, as interfaces. main.ts gives the real ones;
 * unit tests give fakes.
 */

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface Clock {
  now(): number;
}

/** Told after a commit that outbox rows are waiting to be sent; delivery happens elsewhere. */
export interface OutboxDispatch {
  enqueue(outboxIds: readonly number[]): Promise<void>;
}

/** What WeChat's login (jscode2session) tells about a mini-program user. */
export interface CodeSession {
  openId: string;
  sessionKey: string;
  unionId: string | null;
}

// ---- sending: each channel adapter implements OutboundChannel; the outbox worker calls it ----

export interface OutboundMessage {
  outboxId: number;
  /** The same for every attempt at this message: a remote that supports it drops a repeat. */
  dedupeKey: string;
  recipient: string | null;
  room: string | null;
  text: string;
  /** The errand the message is about, if any (a channel may show its facts in structured fields). */
  errandId?: number | null;
}

/** A message another channel should send instead (e.g. a task for the village agent). */
export interface HandOver {
  channel: string;
  recipient: string | null;
  room: string | null;
  text: string;
  errandId: number | null;
  /** Derived from the original message's key: the hand-over is written once however often it is retried. */
  dedupeKey: string;
}

/**
 * What a channel with several ways to deliver reports: the route that delivered the message, what was
 * tried before, and messages to hand over to other channels. The worker records the route, marks the
 * message sent and writes the hand-overs in one transaction.
 */
export interface DeliveryOutcome {
  route: string;
  detail: string;
  handOver?: HandOver[];
}

export interface OutboundChannel {
  readonly name: string;
  send(message: OutboundMessage): Promise<void | DeliveryOutcome>;
  /**
   * The channel's own sending limit, beyond the per-destination ones (e.g. a WeCom robot that
   * several rooms share): takes a place and answers 0, or answers how long the message must wait.
   */
  waitMs?(message: { room: string | null; recipient: string | null; text: string }): Promise<number>;
  /**
   * How long the channel holds every message back for reasons of its own (e.g. a personal account
   * logged out or over its daily cap); 0 or absent: not held. Asked before any limit takes a place;
   * holding does not use up the message's attempts.
   */
  holdMs?(): number;
}

/** The remote refused the message for good (e.g. the user blocked the account): do not retry. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

/**
 * Bind codes said in a chat (`绑定 <code>`), for a channel that links its people and rooms itself
 * (the personal WeChat account): `parse` finds the code in a text (null: not a bind command), `redeem`
 * binds the speaker or the room and answers what to say back. Implemented by app/bind-codes.ts.
 */
export interface BindCodeDesk {
  parse(text: string): string | null;
  redeem(input: { channel: string; code: string; place: 'private' | 'room'; key: string; now: number }): { outcome: string; reply: string };
}

/** The mini-program's channel name (its identities, outbox rows and subscribe credits). */
export const MINI_PROGRAM_CHANNEL = 'mini-program';
