import { findErrandById, setResultDelivery } from '../db/errand-repository.ts';
import { insertOutbox } from '../db/outbox-repository.ts';
import type { PersonRow } from '../db/people-repository.ts';
import type { ResultDelivery } from '../domain/result-delivery.ts';
import { AppError } from '../errors.ts';
import { errandNotifier, errandParties } from './errand-parties.ts';
import type { ErrandEnv } from './file-errand.ts';

/**
 * 送到家 / 我自己去取: the resident chooses how the result of their errand reaches them (the default
 * is by priority); the choice is stored on the errand and the agent is told. Runs inside the caller's
 * transaction; returns the outbox ids waiting for delivery.
 */
export function chooseResultDelivery(env: ErrandEnv, person: PersonRow, errandId: number, choice: ResultDelivery, now: number): number[] {
  const { database, directory, templates } = env;
  const errand = findErrandById(database, errandId);
  if (!errand || errand.requesterId !== person.id) throw new AppError('errand_not_found');
  setResultDelivery(database, errand.id, choice, now);
  const itemName = env.catalog.get(errand.itemId)?.name ?? errand.itemId;
  const parties = errandParties(database, directory, { ...errand, resultDelivery: choice }, itemName);
  const notify = errandNotifier(database, directory, templates, parties, `delivery-${choice}-${now}`);
  return insertOutbox(database, notify.agents('notify.agent_delivery_choice'), now);
}
