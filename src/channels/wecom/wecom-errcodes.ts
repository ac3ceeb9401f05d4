import type { ErrcodePolicy, ErrcodeRule } from '../wechat/errcode-policy.ts';

/**
 * What WeCom's errcodes mean for a message, as tables in the style of the official apps'
 * (../wechat/errcode-policy.ts). A code listed with an action other than `retry` is a dead letter
 * naming it; 45009 (frequency), −1 (busy) and the codes not listed are retried.
 */

/** The app message API (`/cgi-bin/message/send`). */
export const APP_MESSAGE_POLICY: ErrcodePolicy = new Map<number, ErrcodeRule>([
  [40003, { action: 'unreachable', meaning: 'invalid UserID' }],
  [60111, { action: 'unreachable', meaning: 'the UserID is not a member of the organisation' }],
  [81013, { action: 'unreachable', meaning: "the UserID is not a member, or outside the app's visible range" }],
  [82001, { action: 'unreachable', meaning: "the member is outside the app's visible range" }],
  [40013, { action: 'configuration', meaning: 'invalid CorpID' }],
  [40056, { action: 'configuration', meaning: 'invalid AgentId' }],
  [40091, { action: 'configuration', meaning: 'invalid Secret' }],
  [60020, { action: 'configuration', meaning: "this server's IP is not among the app's trusted IPs (企业可信IP)" }],
  [48002, { action: 'configuration', meaning: 'the app is not allowed to use this API' }],
  [44004, { action: 'refused', meaning: 'empty text' }],
  [45002, { action: 'refused', meaning: 'message content too long' }],
]);

/** A group robot's webhook (`/cgi-bin/webhook/send`). */
export const ROBOT_POLICY: ErrcodePolicy = new Map<number, ErrcodeRule>([
  [93000, { action: 'configuration', meaning: 'invalid webhook URL: the robot key is wrong or the robot was removed from its group' }],
  [40008, { action: 'refused', meaning: 'invalid message type' }],
  [44004, { action: 'refused', meaning: 'empty text' }],
  [45002, { action: 'refused', meaning: 'message content too long' }],
]);

/** `/cgi-bin/gettoken`: 40001 here is a wrong Secret, not a stale token. */
export const GETTOKEN_POLICY: ErrcodePolicy = new Map<number, ErrcodeRule>([
  [40001, { action: 'configuration', meaning: 'invalid Secret' }],
  [40013, { action: 'configuration', meaning: 'invalid CorpID' }],
  [40091, { action: 'configuration', meaning: 'invalid Secret' }],
]);
