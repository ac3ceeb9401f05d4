import type { InboundHandler } from '../../app/inbound-handler.ts';
import type { MessageCrypto } from '../wechat/message-crypto.ts';

/** What the WeCom app's callback (src/http/routes/wecom-callback.ts) needs; wecom-channels.ts builds it from the config. */

export const WECOM_PATH = '/wechat/wecom';

export interface WeComCallbackDeps {
  token: string;
  corpId: string;
  agentId: number;
  /** CorpID trailer, current and previous EncodingAESKey. */
  crypto: MessageCrypto;
  inbound: InboundHandler;
  clock: () => number;
}
