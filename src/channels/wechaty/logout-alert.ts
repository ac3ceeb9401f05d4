import type { DirectoryCache } from '../../app/directory.ts';
import type { Logger, OutboxDispatch } from '../../app/ports.ts';
import type { TemplateSet } from '../../conversation/templates.ts';
import type { Database } from '../../db/open-database.ts';
import { insertOutbox } from '../../db/outbox-repository.ts';
import { WECHATY_CHANNEL } from './message-conversion.ts';

type AlertDeps = { database: Database; directories: DirectoryCache; templates: TemplateSet; dispatch: OutboxDispatch; logger: Logger };

/** Tells every admin of the roster, on another channel than this one (through the outbox); returns how many were reached. */
async function alertAdmins(
  deps: AlertDeps,
  template: string,
  vars: Record<string, unknown>,
  key: string,
  at: number,
): Promise<{ told: number; admins: number }> {
  const { database } = deps;
  const admins = deps.directories.current().staff('admin', {});
  const text = deps.templates.render(template, vars);
  const messages = admins.flatMap((admin) => {
    const identity = admin.identities.find((i) => i.channel !== WECHATY_CHANNEL);
    if (!identity) return [];
    return [{ channel: identity.channel, recipient: identity.externalId, room: null, text, kind: 'notification' as const, dedupeKey: `${key}-${admin.id}` }];
  });
  const ids = messages.length ? database.write(() => insertOutbox(database, messages, at)) : [];
  await deps.dispatch.enqueue(ids).catch((error: unknown) => deps.logger.warn({ err: error }, "wechaty: the admins' alert waits for the outbox sweeper"));
  return { told: messages.length, admins: admins.length };
}

/**
 * The account logged out: nothing said in its chats reaches Daiban and nothing goes out until someone
 * scans the QR code again. Every admin is told, and an error is logged for whoever watches the logs.
 * Returns how many admins were told.
 */
export async function alertAdminsOfLogout(deps: AlertDeps, event: { account: string; reason: string; at: number }): Promise<number> {
  const { told, admins } = await alertAdmins(deps, 'bind.logged_out', { account: event.account, at: event.at }, `wechaty-logout-${event.at}`, event.at);
  deps.logger.error(
    { account: event.account, reason: event.reason, adminsAlerted: told, adminsWithoutOtherChannel: admins - told },
    'wechaty: the account LOGGED OUT; chats are not received or answered until someone scans the login QR code again',
  );
  return told;
}

/** The account is back after a logout: the admins hear it, with the contacts and groups that need new bind codes. */
export async function alertAdminsOfRelogin(deps: AlertDeps, event: { account: string; at: number; lost: readonly string[] }): Promise<number> {
  const vars = { account: event.account, at: event.at, lost: event.lost.length, names: event.lost.slice(0, 10).join('、') };
  const { told } = await alertAdmins(deps, 'bind.logged_in_again', vars, `wechaty-relogin-${event.at}`, event.at);
  return told;
}
