import { isTokenError, type AccessTokens } from './access-token.ts';
import { getWeChatJson, postWeChatJson } from './wechat-api.ts';

/**
 * One call to a WeChat API that takes `?access_token=`: on 40001/40014/42001 the token is dropped
 * (compare-and-delete: only if still cached) and the call made once more with a fresh one.
 */
export async function postWithToken(input: {
  tokens: AccessTokens;
  apiBase: string;
  path: string;
  body: unknown;
  timeoutMs?: number;
}): Promise<Record<string, unknown>> {
  return withToken(input.tokens, (token) =>
    postWeChatJson(`${input.apiBase}${input.path}?access_token=${encodeURIComponent(token)}`, input.body, input.timeoutMs),
  );
}

/** The same for a GET endpoint with query parameters (user/info). */
export async function getWithToken(input: {
  tokens: AccessTokens;
  apiBase: string;
  path: string;
  query: Record<string, string>;
  timeoutMs?: number;
}): Promise<Record<string, unknown>> {
  const query = new URLSearchParams(input.query).toString();
  return withToken(input.tokens, (token) => getWeChatJson(`${input.apiBase}${input.path}?access_token=${encodeURIComponent(token)}&${query}`, input.timeoutMs));
}

/** Any call that takes the token (media download answers bytes, not JSON). */
export async function withToken<T>(tokens: AccessTokens, call: (token: string) => Promise<T>): Promise<T> {
  const token = await tokens.get();
  try {
    return await call(token);
  } catch (error) {
    if (!isTokenError(error)) throw error;
    await tokens.invalidate(token);
    return call(await tokens.get());
  }
}
