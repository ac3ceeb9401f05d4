/**
 * One call to WeChat's JSON API: POST a JSON body, read a JSON answer. An answer with a non-zero
 * `errcode` becomes a `WeChatApiError` (the remote answered); no answer, a timeout or a non-JSON
 * answer is a plain `Error` with the cause (unreachable: worth retrying).
 */

export class WeChatApiError extends Error {
  override name = 'WeChatApiError';
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly path: string,
  ) {
    super(`WeChat ${path} answered errcode ${errcode}: ${errmsg}`);
  }
}

export const DEFAULT_API_TIMEOUT_MS = 5000;

export async function postWeChatJson(url: string, body: unknown, timeoutMs = DEFAULT_API_TIMEOUT_MS): Promise<Record<string, unknown>> {
  return callWeChatJson(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, timeoutMs);
}

/** The same for the GET endpoints (WeCom's `/cgi-bin/gettoken`). */
export async function getWeChatJson(url: string, timeoutMs = DEFAULT_API_TIMEOUT_MS): Promise<Record<string, unknown>> {
  return callWeChatJson(url, { method: 'GET' }, timeoutMs);
}

async function callWeChatJson(url: string, init: RequestInit, timeoutMs: number): Promise<Record<string, unknown>> {
  const path = new URL(url).pathname;
  let answer: Response;
  try {
    answer = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new Error(`WeChat ${path} unreachable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const text = await answer.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`WeChat ${path} answered HTTP ${answer.status} without JSON`, { cause: error });
  }
  if (typeof json !== 'object' || json === null) throw new Error(`WeChat ${path} answered HTTP ${answer.status} with an unexpected body`);
  const record = json as Record<string, unknown>;
  const errcode = Number(record.errcode ?? 0);
  if (errcode !== 0) throw new WeChatApiError(errcode, typeof record.errmsg === 'string' ? record.errmsg : '', path);
  return record;
}
