import type { CatalogItem } from '../catalog/catalog-schema.ts';
import type { DeadlinePolicy } from '../config/config.ts';
import type { DeadlineKind } from '../domain/errand-lifecycle.ts';

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
    }
  };
}
