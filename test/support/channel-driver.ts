import type { TestApp } from './test-app.ts';

/**
 * How the channel conformance suite (test/channels/conformance.test.ts) talks to one channel: as a
 * user of that channel would, through the channel's real edge (HTTP webhook, puppet, API), against a
 * whole Daiban started by startTestApp. Each channel has one driver in test/support/<channel>-driver.ts.
 *
 * People are named by their roster id ("zhang-xiuhua", "agent-li") or, for someone new, any fresh
 * name; the driver maps them to the channel's own ids (OpenID, contact id, WeCom UserID) and binds
 * roster people to those ids the way the channel does in production.
 */
export interface ChannelDriver {
  /** The channel's name as stored in channel_identities / outbox ('simulator', 'official-account', …). */
  readonly channel: string;
  readonly app: TestApp;
  /** Makes `person` (a roster id) known on this channel as the channel does it (binding code, roster id…). */
  bind(person: string): Promise<void>;
  /** A private message from `person`; resolves with every text that person got back for it (the direct reply and its continuation). */
  say(person: string, text: string): Promise<string[]>;
  /**
   * A message from `person` in the agents' or centre room `room` (a roster room id such as
   * 'sq-agents@chatroom'), addressed to the bot by @mention when `mention`; resolves with the texts
   * the bot posted in that room for it. Null when the channel has no rooms (Official Account).
   */
  sayInRoom: ((room: string, person: string, text: string, mention: boolean) => Promise<string[]>) | null;
  /** Texts delivered to `person` on this channel after the driver's mark (notifications sent by the outbox worker). */
  notificationsTo(person: string, atLeast: number): Promise<string[]>;
  close(): Promise<void>;
}
