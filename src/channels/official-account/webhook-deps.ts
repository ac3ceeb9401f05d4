import type { InboundMessage, InboundResult } from '../../app/inbound-message.ts';
import type { MessageCrypto } from '../wechat/message-crypto.ts';
import type { OneUseKey } from './one-use-key.ts';

/**
 * What the Official Account's webhook (src/http/routes/official-account-webhook.ts) needs from the
 * rest of the process; src/compose/official-account.ts builds it from the config.
 */

export const OFFICIAL_ACCOUNT_PATH = '/wechat/official-account';

export interface OfficialAccountDeps {
  token: string;
  /** Handles one inbound message (the inbound handler, made asynchronous). */
  respond(message: InboundMessage): Promise<InboundResult>;
  clock: () => number;
  /** Safe and compatible mode; without it an encrypted push is refused (logged, answered `success`). */
  crypto?: MessageCrypto | undefined;
  /** Randomness of an encrypted reply (16 bytes); tests may pin it. */
  randomBytes?: (size: number) => Uint8Array;
  /** What each menu click key stands for. */
  menu: ReadonlyMap<string, string>;
  /** A fixed answer (message kinds the bot cannot read). */
  render(template: string): string;
  replyBudgetMs: number;
  /**
   * Records how a push's replies really went out when the passive answer could not carry them all (too
   * late, or too long): `answered` went back with the answer, `later` goes through the customer-service
   * API (keyed by the push, so once however often WeChat delivers it). See app/reply-settlement.ts.
   */
  settle(s: { openId: string; messageId: string; sentReplyIds: readonly number[]; answered: string | null; later: string[] }): Promise<void>;
  /** The user unfollowed: forget their channel identity. */
  forget(openId: string): void;
  /** The user accepted subscribe templates in a popup: one credit each. */
  grantCredits(openId: string, templateIds: string[]): void;
  /**
   * Pushes answered late, shared by every web process (Redis): WeChat's re-delivery of one of them
   * that lands on another process finds the reply in the inbox, and must get `success`, not a copy.
   */
  lateMarks?: { mark(messageId: string): Promise<void>; has(messageId: string): Promise<boolean> };
  /**
   * Claims a plain-mode request's one-use key for a push that is not a message (an unfollow, a
   * subscribe popup): 'replay' when the key came before with another body. Messages carry the key
   * to the inbound handler, which claims it in the message's own transaction.
   */
  claimOneUse(key: OneUseKey): 'fresh' | 'redelivery' | 'replay';
}
