/** The people of domain.md §1, plus the system itself (timers, archiving). */
export const personRoles = ['resident', 'collector', 'agent', 'centre_staff', 'supervisor', 'admin'] as const;
export type PersonRole = (typeof personRoles)[number];
export type ActorRole = PersonRole | 'system';
export const actorRoles: readonly ActorRole[] = [...personRoles, 'system'];

/** Tags that give a resident priority (合理原则): the elderly, disabled, migrant workers and the 三留守. */
export const personTags = ['elderly', 'disabled', 'migrant', 'left_behind'] as const;
export type PersonTag = (typeof personTags)[number];

/**
 * The elderly, the disabled and the 三留守 (and residents of remote villages) have priority: the agent
 * comes to them (合理原则, 群体合理).
 */
export const priorityTags: readonly PersonTag[] = ['elderly', 'disabled', 'left_behind'];

/**
 * Self-service is not pushed on the priority groups nor on migrant workers: the policy's 地域合理 names
 * "在城区务工等回村办事不方便的群众" among those the agency is for. Anyone may still do it alone.
 */
export const selfServiceExemptTags: readonly PersonTag[] = [...priorityTags, 'migrant'];

export function isSelfServiceExempt(person: { tags: readonly string[]; priority: boolean } | null | undefined): boolean {
  if (!person) return false;
  return person.priority || person.tags.some((t) => (selfServiceExemptTags as readonly string[]).includes(t));
}

export interface RoleGrant {
  role: PersonRole;
  villageCode: string | null;
  townshipCode: string | null;
}
