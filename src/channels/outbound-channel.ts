/** A channel's sending side. Each channel adapter implements it; the outbox worker calls it. */
export interface OutboundMessage {
  outboxId: number;
  /** The same for every attempt at this message: a remote that supports it drops a repeat. */
  dedupeKey: string;
  recipient: string | null;
  room: string | null;
  text: string;
  /** The errand the message is about, when there is one (a channel may look up whom it concerns). */
  errandId?: number | null;
}

export interface OutboundChannel {
  readonly name: string;
  send(message: OutboundMessage): Promise<void>;
  /**
   * The channel's own sending limit, beyond the per-destination ones (e.g. a WeCom robot that
   * several rooms share): takes a place and answers 0, or answers how long the message must wait.
   */
  waitMs?(message: { room: string | null; recipient: string | null; text: string }): Promise<number>;
}

/** The remote refused the message for good (e.g. the user blocked the account): do not retry. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}
