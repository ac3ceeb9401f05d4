/**
 * The 好差评 scale (政务服务"好差评"), numbered the way stars are: 5 非常满意 · 4 满意 · 3 基本满意 ·
 * 2 不满意 · 1 非常不满意. The two lowest are bad reviews (差评): verified, rectified, rated again.
 * One meaning everywhere — chat, mini-program, storage (`ratings.level`), reports and notices.
 */

export const ratingLevels = [5, 4, 3, 2, 1] as const;
export type RatingLevel = (typeof ratingLevels)[number];

/** The standard's names of the levels (what the API answers as `words`). */
export const ratingLevelNames: Readonly<Record<RatingLevel, string>> = {
  5: '非常满意',
  4: '满意',
  3: '基本满意',
  2: '不满意',
  1: '非常不满意',
};

export function isRatingLevel(value: unknown): value is RatingLevel {
  return typeof value === 'number' && (ratingLevels as readonly number[]).includes(value);
}

/** 不满意 and 非常不满意 are bad reviews (差评). */
export const isBadLevel = (level: RatingLevel): boolean => level <= 2;

/** Satisfaction counts 非常满意, 满意 and 基本满意 as satisfied. */
export const SATISFIED_FROM_LEVEL = 3;
