import type { ActionRegistry } from '../action-spec.ts';
import { confirmEntrustment, declineEntrustment, findErrandToConfirm } from './entrustment-actions.ts';
import { badRatingOutcome, badReason, chooseLevel, findErrandToRate, judgeRating, ratingRound, readRating, takeRatingReason } from './rating-actions.ts';
import {
  checkAgent,
  checkComplaintText,
  complaintTypeOption,
  contactAgent,
  recordComplaint,
  skipAgentMessage,
  takeAgentMessage,
  takeComplaintText,
} from './contact-actions.ts';
import { deliverHome, fetchMyself, findMyErrandByReceipt, listMyErrands, listResultPending, listWithdrawable, withdrawErrand } from './errand-actions.ts';
import { routeFreeText } from './menu-actions.ts';
import { finishRegistration, listVillages, livingAway, livingHome, matchVillage, takeName, takePhone, takeSituation } from './registration-actions.ts';
import {
  checkPrivacy,
  checkSelfService,
  chooseSelf,
  createErrand,
  givePrivacyConsent,
  listCategories,
  listCategoryItems,
  matchInitialText,
  matchItem,
  relationOption,
  takeBeneficiaryName,
  takeRelation,
} from './request-actions.ts';

/** Every action the flows may name. Flow validation checks names and outcomes against this. */
export const actionRegistry: ActionRegistry = {
  // registration
  take_name: takeName,
  list_villages: listVillages,
  match_village: matchVillage,
  living_home: livingHome,
  living_away: livingAway,
  take_phone: takePhone,
  take_situation: takeSituation,
  finish_registration: finishRegistration,
  // menu
  route_free_text: routeFreeText,
  // request
  match_initial_text: matchInitialText,
  match_item: matchItem,
  list_categories: listCategories,
  list_category_items: listCategoryItems,
  check_self_service: checkSelfService,
  choose_self: chooseSelf,
  take_beneficiary_name: takeBeneficiaryName,
  take_relation: takeRelation,
  relation_parent: relationOption('父母'),
  relation_spouse: relationOption('配偶'),
  relation_child: relationOption('子女'),
  relation_grandparent: relationOption('祖父母/外祖父母'),
  relation_sibling: relationOption('兄弟姐妹'),
  check_privacy: checkPrivacy,
  give_privacy_consent: givePrivacyConsent,
  create_errand: createErrand,
  // my errands, progress, withdrawal
  list_my_errands: listMyErrands,
  find_my_errand_by_receipt: findMyErrandByReceipt,
  list_withdrawable: listWithdrawable,
  withdraw_errand: withdrawErrand,
  // how the result reaches the resident
  list_result_pending: listResultPending,
  deliver_home: deliverHome,
  fetch_myself: fetchMyself,
  // agent contact and complaints
  check_agent: checkAgent,
  take_agent_message: takeAgentMessage,
  skip_agent_message: skipAgentMessage,
  contact_agent: contactAgent,
  check_complaint_text: checkComplaintText,
  take_complaint_text: takeComplaintText,
  complaint_shirking: complaintTypeOption('shirking'),
  complaint_added_obligation: complaintTypeOption('added_obligation'),
  complaint_overdue: complaintTypeOption('overdue'),
  complaint_extra_fee: complaintTypeOption('extra_fee'),
  complaint_other: complaintTypeOption('other'),
  record_complaint: recordComplaint,
  // rating (好差评) and rectification
  find_errand_to_rate: findErrandToRate,
  level_5: chooseLevel(5),
  level_4: chooseLevel(4),
  level_3: chooseLevel(3),
  level_2: chooseLevel(2),
  level_1: chooseLevel(1),
  read_rating: readRating,
  judge_rating: judgeRating,
  reason_work_error: badReason('work_error'),
  reason_slow: badReason('slow'),
  reason_attitude: badReason('attitude'),
  reason_fee: badReason('fee'),
  reason_other: badReason('other'),
  take_rating_reason: takeRatingReason,
  rating_round: ratingRound,
  bad_rating_outcome: badRatingOutcome,
  // entrustments of errands filed by agents and collectors
  find_errand_to_confirm: findErrandToConfirm,
  confirm_entrustment: confirmEntrustment,
  decline_entrustment: declineEntrustment,
};
