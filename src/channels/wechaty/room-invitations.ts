import type { RoomInvitation } from 'wechaty';
import type { DirectoryCache } from '../../app/directory.ts';
import type { Logger } from '../../app/ports.ts';
import type { TemplateSet } from '../../conversation/templates.ts';
import type { ContactLinks } from './contact-links.ts';
import { WECHATY_CHANNEL } from './message-conversion.ts';
import type { PacedSender } from './wechaty-channel.ts';

/**
 * Invitations into group chats (WeChat asks the invitee to accept for larger groups). The bot joins
 * a group only when a member of the county's staff invites it — someone of the roster with a role
 * (agent, centre staff, supervisor, admin) whose contact is bound on this channel; anyone else's
 * invitation is left unanswered and logged. A group the bot joined still does nothing until it is
 * bound with a group code (`绑定 <码>`), and the inviter is told so privately. Accepting and telling
 * are paced like every action of the account.
 */

export type InvitationOutcome = { kind: 'accepted'; inviter: string; topic: string } | { kind: 'ignored'; why: string };

export interface InvitationDeps {
  directories: DirectoryCache;
  links: ContactLinks;
  sender: PacedSender;
  templates: TemplateSet;
  logger: Logger;
  botName: string;
}

export async function answerRoomInvitation(deps: InvitationDeps, invitation: RoomInvitation): Promise<InvitationOutcome> {
  const inviter = await invitation.inviter();
  const topic = await invitation.topic().catch(() => '');
  const key = await deps.links.contactKey({ id: inviter.id, name: inviter.name(), alias: () => inviter.alias() });
  const staff = deps.directories.current().staffByIdentity(WECHATY_CHANNEL, key);
  if (!staff) {
    const why = 'the inviter is not staff bound on this channel';
    deps.logger.warn({ inviter: key, topic }, `wechaty: a group invitation was not accepted: ${why}`);
    return { kind: 'ignored', why };
  }
  await deps.sender.paced('reply', () => invitation.accept());
  deps.logger.info({ inviter: staff.id, topic }, 'wechaty: joined a group at the invitation of staff; it needs a group bind code');
  await deps.sender.paced('reply', () => inviter.say(deps.templates.render('bind.room_invite_accepted', { topic, botName: deps.botName })));
  return { kind: 'accepted', inviter: staff.id, topic };
}
