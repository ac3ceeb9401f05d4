import type { Logger } from '../../app/ports.ts';
import type { Database } from '../../db/open-database.ts';
import type { OutboundChannel } from '../../app/ports.ts';
import type { AccessTokens } from '../wechat/access-token.ts';
import { readMessageTemplates, NO_MESSAGE_TEMPLATES } from '../wechat/message-templates.ts';
import { createOfficialAccountChannel, type OfficialAccountChannelOptions } from './official-account-channel.ts';

/** Builds the 'official-account' channel from its config: the templates file (checked now) and the route chain, with the shared token. */
export function buildOfficialAccountChannel(input: {
  config: { appId: string; secret: string; apiBase: string; templatesPath: string | null; customerServiceAllowance: number };
  /** The account's access token (shared with the media download). */
  tokens: AccessTokens;
  database: Database;
  logger: Logger;
  now: () => number;
  statusLabel: OfficialAccountChannelOptions['statusLabel'];
  outreach: OfficialAccountChannelOptions['outreach'];
}): OutboundChannel {
  const { config } = input;
  const templates = config.templatesPath ? readMessageTemplates(config.templatesPath) : NO_MESSAGE_TEMPLATES;
  const { tokens } = input;
  return createOfficialAccountChannel({
    database: input.database,
    tokens,
    apiBase: config.apiBase,
    templates,
    customerServiceAllowance: config.customerServiceAllowance,
    statusLabel: input.statusLabel,
    outreach: input.outreach,
    logger: input.logger,
    now: input.now,
  });
}
