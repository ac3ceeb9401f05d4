/** A channel's sending side. Each channel adapter implements it; the outbox worker calls it. */
export interface OutboundMessage {
  outboxId: number;
  /** The same for every attempt at this message: a remote that supports it drops a repeat. */
  dedupeKey: string;
  recipient: string | null;
  room: string | null;
  text: string;
}

export interface OutboundChannel {
  readonly name: string;
  send(message: OutboundMessage): Promise<void>;
  /**
   * How long the next message should wait before it is tried, for reasons of the channel's own
   * (e.g. a personal account logged out or over its daily cap); 0 or absent: now. Waiting does not
   * use up the message's attempts.
   */
  waitMs?(): number;
}

/** The remote refused the message for good (e.g. the user blocked the account): do not retry. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}
