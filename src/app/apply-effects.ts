import { endOfShanghaiDay, shanghaiDate } from '../calendar/local-date.ts';
import { beneficiaryData } from '../conversation/actions/beneficiary-actions.ts';
import type { FlowData } from '../conversation/conversation-state.ts';
import type { Effect, EffectResults } from '../conversation/effects.ts';
import type { FlowContext } from '../conversation/flow-context.ts';
import { buildRenderVars } from '../conversation/render-vars.ts';
import { insertComplaint } from '../db/complaint-repository.ts';
import { errandByReceipt } from '../db/errand-queries.ts';
import { insertOutbox } from '../db/outbox-repository.ts';
import { createResident, linkIdentity, personById, type IdentityRow, type PersonRow } from '../db/people-repository.ts';
import { AppError } from '../errors.ts';
import { fileErrand, type ErrandEnv } from './file-errand.ts';
import { confirmEntrustment, declineEntrustment, rateErrand, withdrawErrand } from './resident-decisions.ts';
import { toStaff } from './notifications.ts';
import { chooseResultDelivery } from './result-delivery-choice.ts';
import type { AppContext } from './app-context.ts';

/**
 * Applies what a conversation step asked for, inside the message's transaction. Returns the values
 * the replies need (the receipt number…) and the outbox rows waiting to be delivered.
 */

export type EffectEnv = ErrandEnv & Pick<AppContext, 'newPersonId'>;

export interface EffectTurn {
  identity: IdentityRow;
  person: PersonRow | null;
  ctx: FlowContext;
  now: number;
}

export interface AppliedEffects {
  results: EffectResults;
  pendingOutboxIds: number[];
}

export function applyEffects(env: EffectEnv, turn: EffectTurn, effects: readonly Effect[]): AppliedEffects {
  const { database, directory, templates } = env;
  const results: EffectResults = {};
  const pending: number[] = [];
  let person = turn.person;
  const requirePerson = (): PersonRow => {
    if (!person) throw new AppError('not_registered');
    return person;
  };

  for (const effect of effects) {
    switch (effect.kind) {
      case 'register_person': {
        if (person) break;
        if (!directory.village(effect.villageCode)) throw new AppError('no_village', `unknown village ${effect.villageCode}`);
        const id = env.newPersonId();
        createResident(database, {
          id,
          name: effect.name,
          phone: effect.phone,
          villageCode: effect.villageCode,
          tags: effect.tags,
          phoneVerified: effect.phoneVerified === true,
          now: turn.now,
        });
        linkIdentity(database, turn.identity.id, id);
        person = personById(database, id) ?? null;
        break;
      }
      case 'create_errand': {
        const requester = requirePerson();
        const data: FlowData = { itemId: effect.itemId, ...beneficiaryData(effect.beneficiary) };
        const text = templates.render('entrustment.text', buildRenderVars(data, turn.ctx, shanghaiDate(turn.now)));
        const filed = fileErrand(env, {
          requester,
          actor: { personId: requester.id, role: 'resident' },
          itemId: effect.itemId,
          beneficiary: effect.beneficiary,
          privacyConsent: effect.privacyConsent,
          situation: effect.situation ?? null,
          entrustment: { text, version: templates.version('entrustment.text'), paper: false },
          channel: turn.identity.channel,
          now: turn.now,
        });
        results.receiptNo = filed.receiptNo;
        pending.push(...filed.pendingOutboxIds);
        break;
      }
      case 'choose_result_delivery': {
        pending.push(...chooseResultDelivery(env, requirePerson(), effect.errandId, effect.choice, turn.now));
        break;
      }
      case 'withdraw_errand': {
        pending.push(...withdrawErrand(env, requirePerson(), effect.errandId, turn.now).outboxIds);
        break;
      }
      case 'contact_agent': {
        const resident = requirePerson();
        const villageCode = resident.villageCode ?? '';
        const text = templates.render('notify.agent_contact', {
          name: resident.name,
          villageName: directory.village(villageCode)?.name ?? '',
          phone: resident.phone,
          message: effect.message,
        });
        const agents = directory.staff('agent', { village: villageCode });
        pending.push(...insertOutbox(database, toStaff(agents, text, null, `contact-${turn.identity.id}-${turn.now}`), turn.now));
        break;
      }
      case 'record_complaint': {
        const resident = requirePerson();
        const errand = effect.receiptNo ? errandByReceipt(database, effect.receiptNo) : undefined;
        const errandId = errand && errand.errand.requesterId === resident.id ? errand.errand.id : null;
        const village = directory.village(resident.villageCode ?? '');
        const due = env.calendars.forTownship(village?.townshipCode ?? null).addWorkingDays(shanghaiDate(turn.now), env.deadlines.complaintDays);
        env.calendars.noteUncertainYears(due.uncertainYears);
        const id = insertComplaint(database, {
          personId: resident.id,
          errandId,
          type: effect.type,
          text: effect.text,
          dueDate: due.date,
          dueAt: endOfShanghaiDay(due.date),
          now: turn.now,
        });
        const text = templates.render('notify.complaint', {
          typeLabel: templates.render(`complaint_type.${effect.type}`, {}),
          receiptNo: effect.receiptNo,
          villageName: directory.village(resident.villageCode ?? '')?.name ?? '',
          name: resident.name,
          text: effect.text,
          dueDate: due.date,
        });
        pending.push(...insertOutbox(database, toStaff(directory.staff('supervisor', {}), text, errandId, `complaint-${id}`), turn.now));
        results.complaintId = id;
        results.complaintDue = due.date;
        break;
      }
      case 'rate_errand':
        pending.push(...rateErrand(env, requirePerson(), effect, turn.now));
        break;
      case 'confirm_entrustment':
        pending.push(...confirmEntrustment(env, requirePerson(), turn.ctx, effect.errandId, effect.privacyConsent, turn.now));
        break;
      case 'decline_entrustment':
        pending.push(...declineEntrustment(env, requirePerson(), effect.errandId, turn.now));
        break;
    }
  }
  return { results, pendingOutboxIds: pending };
}
