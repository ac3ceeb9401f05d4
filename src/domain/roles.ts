/** The people of domain.md §1, plus the system itself (timers, archiving). */
export const personRoles = ['resident', 'collector', 'agent', 'centre_staff', 'supervisor', 'admin'] as const;
export type PersonRole = (typeof personRoles)[number];
export type ActorRole = PersonRole | 'system';
export const actorRoles: readonly ActorRole[] = [...personRoles, 'system'];

/** Tags that give a resident priority (合理原则): the elderly, disabled, migrant workers and the 三留守. */
export const personTags = ['elderly', 'disabled', 'migrant', 'left_behind'] as const;
export type PersonTag = (typeof personTags)[number];

/**
 * The elderly, the disabled and the 三留守 (and residents of remote villages) are not pushed towards
 * doing an errand themselves (合理原则); everyone else is shown how, and may still ask the agent.
 */
export const selfServiceExemptTags: readonly PersonTag[] = ['elderly', 'disabled', 'left_behind'];

export interface RoleGrant {
  role: PersonRole;
  villageCode: string | null;
  townshipCode: string | null;
}
