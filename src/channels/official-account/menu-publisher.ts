import type { AccessTokens } from '../wechat/access-token.ts';
import { postWithToken } from '../wechat/authorised-call.ts';
import type { CustomMenu } from './custom-menu.ts';

/** Publishes the custom menu (`POST /cgi-bin/menu/create`); WeChat replaces the account's menu with it. */
export async function publishMenu(menu: CustomMenu, tokens: AccessTokens, apiBase: string): Promise<void> {
  await postWithToken({ tokens, apiBase, path: '/cgi-bin/menu/create', body: menu.body });
}
