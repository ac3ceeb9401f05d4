import type { AccessTokens } from '../wechat/access-token.ts';
import { MAX_PHOTO_BYTES } from '../../storage/photo-files.ts';
import { withToken } from '../wechat/authorised-call.ts';
import { DEFAULT_API_TIMEOUT_MS, WeChatApiError } from '../wechat/wechat-api.ts';

/**
 * Downloads an Official Account temporary media file (`GET /cgi-bin/media/get`): the picture a
 * follower sent, kept by WeChat for three days. WeChat answers the bytes, or JSON with an errcode
 * (40007: no such media, or expired). A rejected token is dropped and the call made once more.
 */

/** No picture the photo store keeps is larger; a bigger answer is refused while it is being read. */
const MAX_MEDIA_BYTES = MAX_PHOTO_BYTES;
const PATH = '/cgi-bin/media/get';

export type MediaDownload = (mediaId: string) => Promise<Uint8Array>;

export function createMediaDownload(input: { tokens: AccessTokens; apiBase: string; timeoutMs?: number }): MediaDownload {
  const once = async (token: string, mediaId: string): Promise<Uint8Array> => {
    const url = `${input.apiBase}${PATH}?access_token=${encodeURIComponent(token)}&media_id=${encodeURIComponent(mediaId)}`;
    let answer: Response;
    try {
      answer = await fetch(url, { signal: AbortSignal.timeout(input.timeoutMs ?? DEFAULT_API_TIMEOUT_MS * 4) });
    } catch (error) {
      throw new Error(`WeChat ${PATH} unreachable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const type = answer.headers.get('content-type') ?? '';
    const declared = Number(answer.headers.get('content-length') ?? 0);
    if (declared > MAX_MEDIA_BYTES) {
      await answer.body?.cancel();
      throw new Error(`WeChat ${PATH} answered ${declared} bytes, more than a photo may have`);
    }
    // Read as it comes, and stop past the limit: a huge answer must not be held in memory whole.
    const bytes = await readAtMost(answer, MAX_MEDIA_BYTES);
    if (!bytes) throw new Error(`WeChat ${PATH} answered more than ${MAX_MEDIA_BYTES} bytes`);
    if (/json|text\/plain/.test(type) || bytes[0] === 0x7b) {
      let record: { errcode?: unknown; errmsg?: unknown };
      try {
        record = JSON.parse(Buffer.from(bytes).toString('utf8')) as typeof record;
      } catch (error) {
        throw new Error(`WeChat ${PATH} answered HTTP ${answer.status} with unreadable JSON`, { cause: error });
      }
      throw new WeChatApiError(Number(record.errcode ?? -1), typeof record.errmsg === 'string' ? record.errmsg : '', PATH);
    }
    if (!answer.ok) throw new Error(`WeChat ${PATH} answered HTTP ${answer.status}`);
    // An error page from a proxy on the way is worth another try; a picture is what WeChat sends.
    if (type && !type.startsWith('image/') && type !== 'application/octet-stream') throw new Error(`WeChat ${PATH} answered ${type}, not a picture`);
    return bytes;
  };
  return (mediaId) => withToken(input.tokens, (token) => once(token, mediaId));
}

/** The body, or null as soon as it passes `max` bytes (the rest is not read). */
export async function readAtMost(answer: Response, max: number): Promise<Uint8Array | null> {
  if (!answer.body) return new Uint8Array(0);
  const reader = (answer.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}
