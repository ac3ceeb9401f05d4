import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { postWeChatJson, WeChatApiError } from './wechat-api.ts';

/**
 * The access token of an Official Account or a mini-program (the same stable_token endpoint, a
 * cache of its own), shared by every process through Redis. Tokens come from
 * `stable_token` (force_refresh=false: the same token while it is valid, so a refetch never knocks
 * out a token another process still uses) and are cached with a TTL `expires_in − 300` s. One
 * process refreshes at a time (a Redis lock, SET NX PX); the others wait a little and re-read.
 * A token WeChat rejected (40001/40014/42001) is dropped only if it is still the cached one, so a
 * late failure never throws away a newer token.
 */

/** Errcodes that mean "this access token is no good": invalidate it and try once more. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);

export interface AccessTokens {
  /** The cached token, fetching one (under the lock) when there is none. */
  get(): Promise<string>;
  /** Drops the cached token if it is still `failed` (compare-and-delete). */
  invalidate(failed: string): Promise<void>;
}

export interface AccessTokenOptions {
  redis: Redis;
  /** The BullMQ prefix: keys live under `<prefix>:daiban:<app>:`. */
  prefix: string;
  /** Whose token: the Official Account's (`wechat-oa`, the default) or the mini-program's (`wechat-mp`), each cached apart. */
  app?: 'wechat-oa' | 'wechat-mp';
  appId: string;
  secret: string;
  apiBase: string;
  timeoutMs?: number;
  /** How long the refresh lock is held at most (default 10 s). */
  lockMs?: number;
  /** How often a process waiting for another's refresh re-reads the cache (default 100 ms). */
  pollMs?: number;
}

/** Deletes KEYS[1] only when it still holds ARGV[1]. */
const DELETE_IF_EQUAL = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/** Refresh at least a little before WeChat's expiry; never cache for less than a minute. */
const cacheMs = (expiresIn: number) => Math.max(60, expiresIn - 300) * 1000;

export function createAccessTokens(options: AccessTokenOptions): AccessTokens {
  return createTokenCache({
    redis: options.redis,
    key: `${options.prefix}:daiban:${options.app ?? 'wechat-oa'}:${options.appId}`,
    fetchToken: () => fetchStableToken(options),
    ...(options.lockMs === undefined ? {} : { lockMs: options.lockMs }),
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
  });
}

async function fetchStableToken(options: AccessTokenOptions): Promise<{ token: string; expiresIn: number }> {
  const answer = await postWeChatJson(
    `${options.apiBase}/cgi-bin/stable_token`,
    { grant_type: 'client_credential', appid: options.appId, secret: options.secret, force_refresh: false },
    options.timeoutMs,
  );
  const token = answer.access_token;
  const expiresIn = Number(answer.expires_in);
  if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresIn)) throw new Error('WeChat stable_token answered without access_token/expires_in');
  return { token, expiresIn };
}

/**
 * The shared cache and refresh lock behind an access token, whatever endpoint issues it (the
 * Official Account's stable_token, WeCom's gettoken): `fetchToken` is called by one process at a
 * time, and its token cached under `<key>:access-token` for `expires_in − 300` s.
 */
export function createTokenCache(options: {
  redis: Redis;
  /** The Redis key prefix of this token (its app). */
  key: string;
  fetchToken: () => Promise<{ token: string; expiresIn: number }>;
  lockMs?: number;
  pollMs?: number;
}): AccessTokens {
  const { redis } = options;
  const tokenKey = `${options.key}:access-token`;
  const lockKey = `${options.key}:access-token-lock`;
  const lockMs = options.lockMs ?? 10_000;
  const pollMs = options.pollMs ?? 100;

  async function refresh(): Promise<string> {
    const deadline = Date.now() + lockMs + 2000;
    const owner = randomUUID();
    for (;;) {
      const cached = await redis.get(tokenKey);
      if (cached) return cached;
      if ((await redis.set(lockKey, owner, 'PX', lockMs, 'NX')) === 'OK') {
        try {
          // Another process may have stored one between our read and our lock.
          const again = await redis.get(tokenKey);
          if (again) return again;
          const { token, expiresIn } = await options.fetchToken();
          await redis.set(tokenKey, token, 'PX', cacheMs(expiresIn));
          return token;
        } finally {
          await redis.eval(DELETE_IF_EQUAL, 1, lockKey, owner).catch(() => undefined);
        }
      }
      if (Date.now() > deadline) throw new Error('access token: another process holds the refresh lock and stored no token in time');
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  // One refresh at a time inside this process too: concurrent sends share it.
  let inFlight: Promise<string> | null = null;
  return {
    async get() {
      const cached = await redis.get(tokenKey);
      if (cached) return cached;
      inFlight ??= refresh().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    async invalidate(failed) {
      await redis.eval(DELETE_IF_EQUAL, 1, tokenKey, failed);
    },
  };
}

export const isTokenError = (error: unknown): error is WeChatApiError => error instanceof WeChatApiError && TOKEN_ERRCODES.has(error.errcode);
