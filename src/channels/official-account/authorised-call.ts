import { isTokenError, type AccessTokens } from './access-token.ts';
import { postWeChatJson } from './wechat-api.ts';

/**
 * One call to a WeChat API that takes `?access_token=`: on 40001/40014/42001 the token is dropped
 * (compare-and-delete: only if still cached) and the call made once more with a fresh one.
 */
export async function postWithToken(input: { tokens: AccessTokens; apiBase: string; path: string; body: unknown; timeoutMs?: number }): Promise<Record<string, unknown>> {
  const call = (token: string) => postWeChatJson(`${input.apiBase}${input.path}?access_token=${encodeURIComponent(token)}`, input.body, input.timeoutMs);
  const token = await input.tokens.get();
  try {
    return await call(token);
  } catch (error) {
    if (!isTokenError(error)) throw error;
    await input.tokens.invalidate(token);
    return call(await input.tokens.get());
  }
}
