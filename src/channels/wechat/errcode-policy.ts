import { TOKEN_ERRCODES } from './access-token.ts';

/**
 * What a WeChat errcode on a send means for the message, as tables (errcode → action and meaning):
 * the official apps' (the Official Account and the mini-program, below) and WeCom's
 * (channels/wecom/wecom-errcodes.ts) are read the same way. The official apps' (wechat.md, "Errors
 * to handle"):
 * - `retry`: busy or over a rate (−1, 45009, 45011), or a token still refused after one refresh —
 *   the same send later, with backoff; never a fallback.
 * - `next_route`: this way is closed for now (45015 outside the 48-hour window, 45047 the user's
 *   customer-service quota, 45002 too long): try the next way.
 * - `unreachable`: WeChat will not carry pushes to this user (43004 not following, 43019 blocked,
 *   48002 refused, 40003 not an OpenID of ours, 50005, 43101 no subscription): skip every WeChat
 *   route, go to the village agent.
 * - `configuration`: ours to fix (40164 IP not whitelisted, 48001 API not authorised, invalid
 *   AppID/secret, 40037 unknown template, 47003 fields not as the template wants): dead letter,
 *   logged loudly.
 * - `refused`: the message itself can never be carried (WeCom: empty, too long, wrong type): dead letter.
 * Codes not listed are treated as `retry` (the attempts run out into a dead letter naming the code).
 */

export type ErrcodeAction = 'retry' | 'next_route' | 'unreachable' | 'configuration' | 'refused';

export interface ErrcodeRule {
  action: ErrcodeAction;
  meaning: string;
}

/** One API's errcodes: errcode → what it means for the message. */
export type ErrcodePolicy = ReadonlyMap<number, ErrcodeRule>;

const UNEXPECTED: ErrcodeRule = { action: 'retry', meaning: 'unexpected errcode' };

/** The rule of an errcode in a table; an errcode not listed is retried. */
export function ruleOf(policy: ErrcodePolicy, errcode: number): ErrcodeRule {
  return policy.get(errcode) ?? UNEXPECTED;
}

/** The Official Account's and the mini-program's sends. */
const OFFICIAL_APP_POLICY: ErrcodePolicy = new Map<number, ErrcodeRule>([
  [-1, { action: 'retry', meaning: 'WeChat busy' }],
  [45009, { action: 'retry', meaning: 'daily API quota reached' }],
  [45011, { action: 'retry', meaning: 'API called too often' }],
  [45015, { action: 'next_route', meaning: 'outside the 48-hour customer-service window' }],
  [45047, { action: 'next_route', meaning: 'over the customer-service quota for this user' }],
  [45002, { action: 'next_route', meaning: 'content too long' }],
  [43004, { action: 'unreachable', meaning: 'the user does not follow the account' }],
  [43019, { action: 'unreachable', meaning: 'the user has blocked the account' }],
  [48002, { action: 'unreachable', meaning: 'the user refused messages from the account' }],
  [40003, { action: 'unreachable', meaning: 'invalid OpenID for this account' }],
  [50005, { action: 'unreachable', meaning: 'the user cannot receive messages' }],
  [43101, { action: 'unreachable', meaning: 'the user has not accepted this subscribe message' }],
  [40013, { action: 'configuration', meaning: 'invalid AppID' }],
  [40125, { action: 'configuration', meaning: 'invalid AppSecret' }],
  [40164, { action: 'configuration', meaning: "this server's IP is not on the account's whitelist" }],
  [48001, { action: 'configuration', meaning: 'the account is not authorised for this API' }],
  [40037, { action: 'configuration', meaning: 'invalid template_id' }],
  [47003, { action: 'configuration', meaning: 'template fields do not match the template' }],
  [47001, { action: 'configuration', meaning: 'malformed request' }],
  [41030, { action: 'configuration', meaning: 'invalid page path' }],
]);

export function errcodeAction(errcode: number): ErrcodeRule {
  if (TOKEN_ERRCODES.has(errcode)) return { action: 'retry', meaning: 'access token refused again after a refresh' };
  return ruleOf(OFFICIAL_APP_POLICY, errcode);
}
