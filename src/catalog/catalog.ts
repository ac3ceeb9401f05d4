import { defaultReview, type CatalogItem, type CategoryCode, type ReviewBodies } from './catalog-schema.ts';

/** The catalogue in memory: items by id and by category, in the order the data file gives. */
export interface Catalog {
  readonly items: readonly CatalogItem[];
  readonly categories: readonly { code: CategoryCode; name: string }[];
  get(id: string): CatalogItem | undefined;
  inCategory(code: CategoryCode): CatalogItem[];
  categoryName(code: CategoryCode): string;
  /** Each item's version as stored (bumped by every edit). */
  versionOf(id: string): number;
  /** Where a refusal of this item can be challenged (行政复议 body, court), or null when it is no administrative decision. */
  reviewOf(item: CatalogItem): ReviewBodies | null;
}

export function createCatalog(
  items: readonly CatalogItem[],
  categories: readonly { code: CategoryCode; name: string }[],
  versions: ReadonlyMap<string, number> = new Map(),
  review: ReviewBodies = defaultReview,
): Catalog {
  const byId = new Map(items.map((i) => [i.id, i]));
  const names = new Map(categories.map((c) => [c.code, c.name]));
  return {
    items,
    categories,
    get: (id) => byId.get(id),
    inCategory: (code) => items.filter((i) => i.category === code),
    categoryName: (code) => names.get(code) ?? code,
    versionOf: (id) => versions.get(id) ?? 1,
    reviewOf: (item) => (item.department.reviewable ? { body: item.department.reviewBody ?? review.body, court: review.court } : null),
  };
}
