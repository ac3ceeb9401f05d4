import type { CatalogItem } from '../catalog/catalog-schema.ts';
import type { WorkingHours } from '../calendar/working-hours.ts';
import type { DeadlineKind } from '../domain/errand-lifecycle.ts';

/** How many working days each clock gives (from the configuration). */
export interface DeadlinePolicy {
  claimDays: number;
  deliveryDays: number;
  feedbackDays: number;
  ratingDays: number;
  rectificationDays: number;
  pickupDays: number;
  handlingDays: number;
  handbackDays: number;
  /** After a withdrawal, the materials taken in are given back within this many working days. */
  materialsReturnDays: number;
  /** A complaint is answered within this many working days. */
  complaintDays: number;
  /** An unrated errand is invited again after this many working days (then archived at the rating deadline). */
  ratingReminderDays: number;
}

/** When reminders and escalations go out, and how many working days before a due day they remind. */
export interface AlertPolicy {
  hours: WorkingHours;
  reminderDaysBefore: readonly number[];
}

/** Working days of each clock: the configured defaults, the item's promised days for completion. */
export function deadlineDays(policy: DeadlinePolicy, item: CatalogItem | undefined): (kind: DeadlineKind) => number {
  return (kind) => {
    switch (kind) {
      case 'claim':
        return policy.claimDays;
      case 'delivery':
        return policy.deliveryDays;
      case 'completion':
        return item?.promisedWorkingDays ?? policy.deliveryDays;
      case 'feedback':
        return policy.feedbackDays;
      case 'rating':
        return policy.ratingDays;
      case 'rectification':
        return policy.rectificationDays;
      case 'pickup':
        return policy.pickupDays;
      case 'handling':
        return policy.handlingDays;
      case 'handback':
        return policy.handbackDays;
      case 'materials_return':
        return policy.materialsReturnDays;
    }
  };
}
