import type { DirectoryCache } from '../../app/directory.ts';
import type { Logger, OutboxDispatch } from '../../app/ports.ts';
import type { TemplateSet } from '../../conversation/templates.ts';
import type { Database } from '../../db/open-database.ts';
import { insertOutbox } from '../../db/outbox-repository.ts';
import { WECHATY_CHANNEL } from './message-conversion.ts';

/**
 * The account logged out: nothing said in its chats reaches Daiban and nothing goes out until someone
 * scans the QR code again. Every admin of the roster is told on another channel than this one
 * (through the outbox), and an error is logged for whoever watches the logs. Returns how many admins
 * were told.
 */
export async function alertAdminsOfLogout(
  deps: { database: Database; directories: DirectoryCache; templates: TemplateSet; dispatch: OutboxDispatch; logger: Logger },
  event: { account: string; reason: string; at: number },
): Promise<number> {
  const { database } = deps;
  const admins = deps.directories.current().staff('admin', {});
  const text = deps.templates.render('bind.logged_out', { account: event.account, at: event.at });
  const messages = admins.flatMap((admin) => {
    const identity = admin.identities.find((i) => i.channel !== WECHATY_CHANNEL);
    if (!identity) return [];
    return [{ channel: identity.channel, recipient: identity.externalId, room: null, text, kind: 'notification' as const, dedupeKey: `wechaty-logout-${event.at}-${admin.id}` }];
  });
  const ids = messages.length ? database.write(() => insertOutbox(database, messages, event.at)) : [];
  deps.logger.error(
    { account: event.account, reason: event.reason, adminsAlerted: messages.length, adminsWithoutOtherChannel: admins.length - messages.length },
    'wechaty: the account LOGGED OUT; chats are not received or answered until someone scans the login QR code again',
  );
  await deps.dispatch.enqueue(ids).catch((error: unknown) => deps.logger.warn({ err: error }, 'logout alert waits for the outbox sweeper'));
  return messages.length;
}
