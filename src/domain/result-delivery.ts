import { priorityTags as priorityTagList } from './roles.ts';

/**
 * How an errand's result reaches the resident (合理原则): the priority groups the policy names — the
 * elderly, the disabled, the left-behind and residents of remote villages — get it brought home by the
 * agent unless they chose to fetch it; everyone else fetches it unless they asked for it to be brought.
 */

export type ResultDelivery = 'home' | 'self';

/** Migrant workers are exempt from self-service but live away: the result is not brought to them. */
const priorityTags = new Set<string>(priorityTagList);

/** Is this resident one of the priority groups (never told to travel when the agent can come)? */
export function isPriorityResident(tags: readonly string[], villageRemote: boolean): boolean {
  return villageRemote || tags.some((t) => priorityTags.has(t));
}

/** The resident's own choice wins; otherwise the default by priority. */
export function resultDeliveryOf(chosen: ResultDelivery | null, priority: boolean): ResultDelivery {
  return chosen ?? (priority ? 'home' : 'self');
}
