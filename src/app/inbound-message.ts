/** The one inbound shape: every channel converts its messages to this at its edge. */
export interface InboundMessage {
  channel: string;
  /** The sender's identity on the channel (OpenID, wechaty contact id, simulator name). */
  senderId: string;
  /** The room (group chat) it was said in, or null for a private chat. */
  roomId: string | null;
  text: string;
  /** The channel's message id, for de-duplication of re-deliveries; null when the channel has none. */
  messageId: string | null;
  /** The bot was @mentioned (rooms). */
  mentionsBot: boolean;
  receivedAt: number;
  /** Opened the conversation without words: followed the account or scanned a code (a village's code names the village). */
  opened?: { villageCode: string | null };
  /**
   * The words of a menu button the person clicked (the Official Account's CLICK event): handled like
   * typed words, but counted as an event, not a message (see UserAction).
   */
  menuClick?: boolean;
  /** A photo instead of words (private chats), by the channel's media id: kept on the sender's open errand. */
  photo?: { mediaId: string; url: string | null; /** Already kept as a file in the photo store (personal WeChat). */ file?: string };
  /**
   * The channel cannot carry the answer in its response (WeCom: the callback is answered empty and
   * the bot writes back through the app message API): the replies wait in the outbox and the
   * worker sends them, like notifications.
   */
  replyLater?: boolean;
  /**
   * The request's signature does not cover its body (the Official Account's plain mode): its key may
   * serve this body only. The turn claims it in its own transaction; another body under a used key is
   * refused (AppError invalid_signature, thrown to the edge), the same body is a re-delivery.
   */
  oneUse?: { key: string; digest: string; expiresAt: number };
}

/** A message the bot answers with at once. */
export interface OutboundReply {
  to: string | null;
  room: string | null;
  text: string;
}

export interface InboundResult {
  replies: OutboundReply[];
  /** The message was a re-delivery: the first answer is repeated, nothing is done twice. */
  duplicate: boolean;
  /**
   * The outbox rows that record the replies as sent with the answer (none for a re-delivery, or when
   * the replies go later): a channel that finds it could not carry them all retracts them (retractReplies).
   */
  sentReplyIds?: readonly number[];
}
