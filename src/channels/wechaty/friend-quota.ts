import { shanghaiDate } from '../../calendar/local-date.ts';

/**
 * How many friend requests the account accepts per day (Asia/Shanghai). A resident must be the
 * account's friend to chat privately, so the bot accepts requests itself; an account that accepts
 * hundreds a day looks like a bot and risks a ban, so the rest wait for the next day (or for a person
 * to accept them on the phone).
 */
export function createFriendQuota(cap: number) {
  let day = '';
  let taken = 0;
  return {
    /** Takes one of today's places; false when the day's cap is reached. */
    take(now: number): boolean {
      const today = shanghaiDate(now);
      if (today !== day) {
        day = today;
        taken = 0;
      }
      if (taken >= cap) return false;
      taken++;
      return true;
    },
  };
}
