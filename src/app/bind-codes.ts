import { randomInt } from 'node:crypto';
import type { Database } from '../db/open-database.ts';
import { personById } from '../db/people-repository.ts';
import { bumpSetting, ROSTER_VERSION_KEY } from '../db/roster-repository.ts';
import { bindCodeByCode, bindIdentity, bindRoom, insertBindCode, markBindCodeUsed, type BindCodeRow } from '../db/wechaty-repository.ts';
import { AppError } from '../errors.ts';
import { normaliseText } from '../text/normalise.ts';
import type { TemplateSet } from '../conversation/templates.ts';
import type { Directory, DirectoryCache } from './directory.ts';
import type { BindCodeDesk } from './ports.ts';

/**
 * One-time bind codes. Chat ids of personal-account protocols are not stable, so an admin issues a
 * code for a roster person or for a room (a village's agents room, a township centre's room), and
 * whoever sends `绑定 <code>` — privately for a person, in the group for a room — binds that contact or
 * room to it. A code works once, until it expires.
 */

export type BindTarget = { kind: 'person'; personId: string } | { kind: 'village_agents'; villageCode: string } | { kind: 'centre'; townshipCode: string };

export interface IssuedCode {
  code: string;
  expiresAt: number;
  target: BindTarget;
  /** Who or what the code binds, for the admin (e.g. "张秀花", "石桥村代办员群"). */
  label: string;
}

/** Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const BIND_CODE_LENGTH = 6;
export const DEFAULT_BIND_CODE_HOURS = 72;

export function newBindCode(random: (max: number) => number = randomInt): string {
  return Array.from({ length: BIND_CODE_LENGTH }, () => ALPHABET[random(ALPHABET.length)]).join('');
}

function labelOf(directory: Directory, database: Database, target: BindTarget): string {
  if (target.kind === 'person') {
    const person = personById(database, target.personId);
    if (!person) throw new AppError('invalid_bind_code', `no person ${target.personId} in the roster`);
    return person.name;
  }
  if (target.kind === 'village_agents') {
    const village = directory.village(target.villageCode);
    if (!village) throw new AppError('invalid_bind_code', `no village ${target.villageCode} in the roster`);
    return `${village.name}代办员群`;
  }
  const township = directory.township(target.townshipCode);
  if (!township) throw new AppError('invalid_bind_code', `no township ${target.townshipCode} in the roster`);
  return `${township.centre.name}群`;
}

/** Issues a code for a roster person or a room; an unknown person, village or township is an invalid_bind_code error. */
export function issueBindCode(
  database: Database,
  directory: Directory,
  target: BindTarget,
  options: { now: number; hours?: number; code?: () => string },
): IssuedCode {
  const label = labelOf(directory, database, target);
  const expiresAt = options.now + (options.hours ?? DEFAULT_BIND_CODE_HOURS) * 3_600_000;
  for (let attempt = 0; ; attempt++) {
    const code = (options.code ?? newBindCode)();
    try {
      database.write(() =>
        insertBindCode(database, {
          code,
          target: target.kind,
          personId: target.kind === 'person' ? target.personId : null,
          villageCode: target.kind === 'village_agents' ? target.villageCode : null,
          townshipCode: target.kind === 'centre' ? target.townshipCode : null,
          issuedAt: options.now,
          expiresAt,
        }),
      );
      return { code, expiresAt, target, label };
    } catch (error) {
      // A collision with an earlier code: draw another (a handful of tries is plenty for 31^6 codes).
      if (attempt >= 4 || !/UNIQUE|PRIMARY KEY/.test(String(error))) throw error;
    }
  }
}

/** `绑定 ABC234` (any width, any case, with or without a colon) → the code; '' when the code is missing; null when it is not a bind command. */
export function parseBindCommand(text: string): string | null {
  const m = /^绑定\s*:?\s*(.*)$/.exec(normaliseText(text));
  return m ? (m[1] ?? '').replace(/\s+/g, '').toUpperCase() : null;
}

export type RedeemResult =
  | { kind: 'person_bound'; name: string }
  | { kind: 'room_bound'; label: string }
  | { kind: 'missing_code' }
  | { kind: 'unknown' }
  | { kind: 'used' }
  | { kind: 'expired' }
  /** A room's code sent privately, or a person's code sent in a group. */
  | { kind: 'wrong_place'; place: 'private' | 'room' };

function targetOf(row: BindCodeRow): BindTarget | null {
  if (row.target === 'person' && row.personId) return { kind: 'person', personId: row.personId };
  if (row.target === 'village_agents' && row.villageCode) return { kind: 'village_agents', villageCode: row.villageCode };
  if (row.target === 'centre' && row.townshipCode) return { kind: 'centre', townshipCode: row.townshipCode };
  return null;
}

/**
 * Redeems a code said on `channel` by the contact (privately) or in the room with stable key `key`:
 * binds the channel identity to the person, or records the room as that village's agents room or
 * that township's centre room. One transaction; the directory reloads (the roster version is bumped).
 */
export function redeemBindCode(
  database: Database,
  directory: Directory,
  input: { channel: string; code: string; place: 'private' | 'room'; key: string; now: number },
): RedeemResult {
  if (!input.code) return { kind: 'missing_code' };
  return database.write((): RedeemResult => {
    const row = bindCodeByCode(database, input.code);
    const target = row ? targetOf(row) : null;
    if (!row || !target) return { kind: 'unknown' };
    if (row.usedAt !== null) return { kind: 'used' };
    if (row.expiresAt <= input.now) return { kind: 'expired' };
    if ((target.kind === 'person') !== (input.place === 'private')) return { kind: 'wrong_place', place: input.place };
    const label = labelOf(directory, database, target);
    if (!markBindCodeUsed(database, row.code, input.key, input.now)) return { kind: 'used' };
    if (target.kind === 'person') bindIdentity(database, { channel: input.channel, externalId: input.key, personId: target.personId, now: input.now });
    else
      bindRoom(database, {
        channel: input.channel,
        externalId: input.key,
        kind: target.kind,
        villageCode: target.kind === 'village_agents' ? target.villageCode : null,
        townshipCode: target.kind === 'centre' ? target.townshipCode : null,
        now: input.now,
      });
    bumpSetting(database, ROSTER_VERSION_KEY);
    return target.kind === 'person' ? { kind: 'person_bound', name: label } : { kind: 'room_bound', label };
  });
}

/** The chat answer to a redeem (templates bind.*). */
export function renderBindResult(templates: TemplateSet, result: RedeemResult, vars: { botName: string }): string {
  switch (result.kind) {
    case 'person_bound':
      return templates.render('bind.person_bound', { name: result.name, botName: vars.botName });
    case 'room_bound':
      return templates.render('bind.room_bound', { label: result.label, botName: vars.botName });
    case 'wrong_place':
      return templates.render(result.place === 'private' ? 'bind.room_code_in_private' : 'bind.person_code_in_room', {});
    default:
      return templates.render(`bind.${result.kind}`, {});
  }
}

/** The bind-code desk a chat channel calls (app/ports.ts BindCodeDesk). */
export function createBindCodeDesk(deps: { database: Database; directories: DirectoryCache; templates: TemplateSet; botName: string }): BindCodeDesk {
  return {
    parse: parseBindCommand,
    redeem(input) {
      const result = redeemBindCode(deps.database, deps.directories.current(), input);
      return { outcome: result.kind, reply: renderBindResult(deps.templates, result, { botName: deps.botName }) };
    },
  };
}
