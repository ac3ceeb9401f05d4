import { AppError } from '../../errors.ts';
import type { AccessTokens } from '../wechat/access-token.ts';
import { postWithToken } from '../wechat/authorised-call.ts';
import { WeChatApiError } from '../wechat/wechat-api.ts';

/**
 * WeChat's verified phone number (`POST /wxa/business/getuserphonenumber?access_token=` {code}, the
 * code of `<button open-type="getPhoneNumber">`, with the mini-program's access token) →
 * `phone_info` {phoneNumber, purePhoneNumber, countryCode, watermark: {appid, timestamp}}. The
 * watermark must name our mini-program: an answer for another app is not used. Refusals become
 * catalog errors: 40029 a bad code (400, ask again); −1 busy or no answer (503, retry); anything else
 * is our configuration (503, cause logged, never shown).
 */

export interface VerifiedPhone {
  /** Without the country code, e.g. 13900000013. */
  purePhoneNumber: string;
  countryCode: string;
}

export type PhoneNumberLookup = (code: string) => Promise<VerifiedPhone>;

export function createPhoneNumberLookup(options: { tokens: AccessTokens; apiBase: string; appId: string; timeoutMs?: number }): PhoneNumberLookup {
  return async function lookUp(code) {
    let answer: Record<string, unknown>;
    try {
      answer = await postWithToken({
        tokens: options.tokens,
        apiBase: options.apiBase,
        path: '/wxa/business/getuserphonenumber',
        body: { code },
        timeoutMs: options.timeoutMs,
      });
    } catch (error) {
      if (!(error instanceof WeChatApiError)) throw new AppError('wechat_busy', 'WeChat did not answer; try again in a moment.', undefined, { cause: error });
      if (error.errcode === 40029) throw new AppError('invalid_phone_code', undefined, { wechatErrcode: 40029 });
      if (error.errcode === -1 || error.errcode === 45011) throw new AppError('wechat_busy', undefined, { wechatErrcode: error.errcode }, { cause: error });
      throw new AppError('unavailable', 'Reading the phone number through WeChat is not possible right now.', undefined, { cause: error });
    }
    const info = answer.phone_info as { purePhoneNumber?: unknown; countryCode?: unknown; watermark?: { appid?: unknown } } | undefined;
    if (typeof info?.purePhoneNumber !== 'string' || !/^\d{5,20}$/.test(info.purePhoneNumber) || typeof info.countryCode !== 'string') {
      throw new AppError('wechat_busy', 'WeChat gave an incomplete answer; try again.', undefined, {
        cause: new Error('getuserphonenumber answered without phone_info'),
      });
    }
    if (info.watermark?.appid !== options.appId) {
      throw new AppError('phone_unverified', undefined, undefined, {
        cause: new Error(`getuserphonenumber watermark appid ${String(info.watermark?.appid)} is not ${options.appId}`),
      });
    }
    return { purePhoneNumber: info.purePhoneNumber, countryCode: info.countryCode };
  };
}
