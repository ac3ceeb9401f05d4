import { withAccessToken, type AccessTokens } from './access-token.ts';
import type { CustomMenu } from './custom-menu.ts';
import { postWeChatJson } from './wechat-api.ts';

/** Publishes the custom menu (`POST /cgi-bin/menu/create`); WeChat replaces the account's menu with it. */
export async function publishMenu(menu: CustomMenu, tokens: AccessTokens, apiBase: string): Promise<void> {
  await withAccessToken(tokens, (token) => postWeChatJson(`${apiBase}/cgi-bin/menu/create?access_token=${encodeURIComponent(token)}`, menu.body));
}
