import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/open-database.ts';
import { insertLink, linkByKey, linkByWechatyId, updateLink, type LinkKind } from '../../db/wechaty-repository.ts';

/**
 * Stable keys for the contacts and rooms of the personal-WeChat account. Their ids change at every
 * login on web protocols, so identities, rooms and outbox rows hold our own key (`wxc-…` for a
 * contact, `wxr-…` for a room); the link says which id it has in the current session and by which
 * name (or alias, or room topic) it is found again after the next login.
 */

export interface SeenContact {
  id: string;
  name: string;
  alias?: () => Promise<string | undefined>;
}

export interface SeenRoom {
  id: string;
  topic: string;
}

export interface ContactLinks {
  /** The stable key of a contact, created on first sight; its name is kept fresh. */
  contactKey(contact: SeenContact): Promise<string>;
  /** The stable key of a room, created on first sight; its topic is kept fresh. */
  roomKey(room: SeenRoom): string;
  /** The stable key of a room already linked, without creating one (undefined: never seen). */
  knownRoomKey(id: string): string | undefined;
  /** The id in the current session of a stable key: undefined when the key is unknown, null when it was not found again. */
  currentId(key: string): string | null | undefined;
}

const newKey = (kind: LinkKind) => `${kind === 'contact' ? 'wxc' : 'wxr'}-${randomBytes(6).toString('hex')}`;

export function createContactLinks(database: Database, now: () => number): ContactLinks {
  /** Finds the link of a session id (refreshing its name) or makes one; writes only when something changed. */
  function keyFor(kind: LinkKind, id: string, name: string, alias: string | null | undefined): string {
    const known = linkByWechatyId(database, kind, id);
    if (known && known.name === name && (alias === undefined || known.alias === alias)) return known.key;
    return database.write(() => {
      const found = linkByWechatyId(database, kind, id);
      if (found) {
        updateLink(database, found.key, { wechatyId: id, name, ...(alias !== undefined ? { alias } : {}), now: now() });
        return found.key;
      }
      const key = newKey(kind);
      insertLink(database, { key, kind, wechatyId: id, name, alias: alias ?? null, createdAt: now(), resolvedAt: now() });
      return key;
    });
  }

  return {
    async contactKey(contact) {
      // The alias costs a call to the puppet: only asked for a contact seen for the first time.
      const known = linkByWechatyId(database, 'contact', contact.id);
      const alias = known ? undefined : ((await contact.alias?.().catch(() => undefined)) ?? null);
      return keyFor('contact', contact.id, contact.name, alias);
    },
    roomKey: (room) => keyFor('room', room.id, room.topic, undefined),
    knownRoomKey: (id) => linkByWechatyId(database, 'room', id)?.key,
    currentId: (key) => {
      const link = linkByKey(database, key);
      return link === undefined ? undefined : link.wechatyId;
    },
  };
}
