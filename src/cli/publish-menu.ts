import { Redis } from 'ioredis';
import { z } from 'zod';
import { createAccessTokens } from '../channels/wechat/access-token.ts';
import { readMenuFile } from '../channels/official-account/custom-menu.ts';
import { publishMenu } from '../channels/official-account/menu-publisher.ts';
import { envSchema } from '../config/config.ts';

/**
 * `npm run menu:publish [-- <menu.yaml>] [--check]`: checks the custom menu file (default
 * WECHAT_OA_MENU_FILE) and publishes it to the Official Account at WECHAT_API_BASE, with the access
 * token shared with the running bot (Redis at REDIS_URL, keys under BULLMQ_PREFIX). `--check` only
 * checks the file.
 */
const args = process.argv.slice(2);
const checkOnly = args.includes('--check');
const s = envSchema.shape;
const env = z
  .object({
    WECHAT_OA_MENU_FILE: s.WECHAT_OA_MENU_FILE,
    WECHAT_OA_APPID: s.WECHAT_OA_APPID,
    WECHAT_OA_SECRET: s.WECHAT_OA_SECRET,
    WECHAT_API_BASE: s.WECHAT_API_BASE,
    REDIS_URL: s.REDIS_URL,
    BULLMQ_PREFIX: s.BULLMQ_PREFIX,
  })
  .safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')));
if (!env.success) {
  console.error(`configuration problems:\n  ${env.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`);
  process.exit(2);
}
const e = env.data;
const path = args.find((a) => !a.startsWith('--')) ?? e.WECHAT_OA_MENU_FILE;
try {
  const menu = readMenuFile(path);
  console.log(`${path}: ${menu.body.button.length} buttons, ${menu.says.size} click keys — valid`);
  if (!checkOnly) {
    if (!e.WECHAT_OA_APPID || !e.WECHAT_OA_SECRET) throw new Error('set WECHAT_OA_APPID and WECHAT_OA_SECRET to publish the menu');
    const redis = new Redis(e.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    try {
      const tokens = createAccessTokens({ redis, prefix: e.BULLMQ_PREFIX, appId: e.WECHAT_OA_APPID, secret: e.WECHAT_OA_SECRET, apiBase: e.WECHAT_API_BASE });
      await publishMenu(menu, tokens, e.WECHAT_API_BASE);
      console.log(`published to ${e.WECHAT_API_BASE} for ${e.WECHAT_OA_APPID}`);
    } finally {
      redis.disconnect();
    }
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
