import type { Beneficiary } from '../domain/beneficiary.ts';
import type { RatingLevel } from '../domain/rating-scale.ts';

export type { Beneficiary };

/**
 * What a conversation asks the application to do. The engine only describes; the application
 * applies all effects of one message in one database transaction, then renders the replies with
 * the effects' results (e.g. the new receipt number).
 */

export const complaintTypes = ['shirking', 'added_obligation', 'overdue', 'extra_fee', 'other'] as const;
export type ComplaintType = (typeof complaintTypes)[number];

export type Effect =
  | { kind: 'register_person'; name: string; villageCode: string; phone: string | null; tags: string[]; phoneVerified?: boolean }
  | { kind: 'create_errand'; itemId: string; beneficiary: Beneficiary; privacyConsent: boolean | null; situation?: string | null }
  | { kind: 'withdraw_errand'; errandId: number }
  | { kind: 'contact_agent'; message: string | null }
  | { kind: 'record_complaint'; type: ComplaintType; text: string; receiptNo: string | null }
  | { kind: 'rate_errand'; errandId: number; round: RatingRound; level: RatingLevel; reasonKind: RatingReason | null; reason: string | null }
  | { kind: 'confirm_entrustment'; errandId: number; privacyConsent: boolean | null }
  | { kind: 'decline_entrustment'; errandId: number }
  /** 送到家 / 我自己去取: how the result reaches the resident. */
  | { kind: 'choose_result_delivery'; errandId: number; choice: 'home' | 'self' };

/** The first rating of an errand, or the rating of a bad review's rectification. */
export type RatingRound = 'first' | 'rectification';
export const ratingReasons = ['work_error', 'slow', 'attitude', 'fee', 'other'] as const;
export type RatingReason = (typeof ratingReasons)[number];

/** Values an applied effect gives back, for the replies that follow it. */
export interface EffectResults {
  receiptNo?: string;
  [key: string]: unknown;
}
