import { forgetVerifiedPhone, identityById, peopleWithPhone, rememberVerifiedPhone } from '../../db/mini-program-repository.ts';
import { linkIdentity, personById } from '../../db/people-repository.ts';
import { maskName, maskPhone } from '../../domain/masking.ts';
import { AppError } from '../../errors.ts';
import type { Caller, MiniProgramEnv } from './mini-program-env.ts';

/**
 * Links a mini-program user to the person the county already knows, by the phone number WeChat
 * verified (getuserphonenumber), so that a resident who registered by chat or is in the roster does
 * not register twice:
 * - exactly one person has that number: the identity is linked to them (their errands, filed by chat,
 *   are now the user's too); the answer names them masked;
 * - nobody has it: the number is remembered, and registration uses it instead of asking;
 * - several people have it: nobody can tell which one the user is — refused; the village agent links
 *   them by hand.
 */

export type PhoneLink = { outcome: 'linked'; person: { maskedName: string; villageName: string | null } } | { outcome: 'remembered'; maskedPhone: string };

export function linkByVerifiedPhone(mp: MiniProgramEnv, caller: Caller, verified: { purePhoneNumber: string; countryCode: string }, now: number): PhoneLink {
  if (caller.person) throw new AppError('already_registered', 'This WeChat user is already registered; the phone number is not needed.');
  if (verified.countryCode !== '86' || !/^1\d{10}$/.test(verified.purePhoneNumber))
    throw new AppError(
      'not_allowed',
      'Only a mainland China (+86) mobile number can be used; register with POST /api/mp/registration and give the phone there.',
    );
  const phone = verified.purePhoneNumber;
  const { database } = mp;
  const linked = database.write(() => {
    // Checked again inside the transaction: a registration racing this one wins.
    if (identityById(database, caller.identity.id)?.personId) throw new AppError('already_registered');
    const people = peopleWithPhone(database, phone);
    if (people.length > 1) throw new AppError('phone_shared');
    if (people.length === 0) {
      rememberVerifiedPhone(database, caller.identity.id, phone, now);
      return null;
    }
    linkIdentity(database, caller.identity.id, people[0]!);
    forgetVerifiedPhone(database, caller.identity.id);
    return personById(database, people[0]!) ?? null;
  });
  if (!linked) return { outcome: 'remembered', maskedPhone: maskPhone(phone) };
  mp.logger.info({ personId: linked.id, identityId: caller.identity.id }, 'mini-program user linked to a known person by verified phone');
  const village = linked.villageCode ? mp.context().directory.village(linked.villageCode) : undefined;
  return { outcome: 'linked', person: { maskedName: maskName(linked.name), villageName: village?.name ?? null } };
}
