import type { InboundMessage } from '../../app/inbound-message.ts';
import type { OfficialAccountPush } from './xml-message.ts';

export const OFFICIAL_ACCOUNT_CHANNEL = 'official-account';

/**
 * A text push as the one inbound shape. The sender is the OpenID; the de-duplication key is the
 * MsgId, or FromUserName + CreateTime when there is none (events), so that WeChat's retries of one
 * push are answered from the inbox instead of being handled again.
 */
export function toInboundMessage(push: OfficialAccountPush, receivedAt: number): InboundMessage {
  return {
    channel: OFFICIAL_ACCOUNT_CHANNEL,
    senderId: push.fromUser,
    roomId: null,
    text: push.content ?? '',
    messageId: push.msgId ?? `${push.fromUser}${push.createTime}`,
    mentionsBot: false,
    receivedAt,
  };
}
