/**
 * WeChat waits 5 seconds for a passive reply and then delivers the push again (three times in all).
 * `withinBudget` gives the handling `budgetMs` (about 4 s): ready in time, the texts are the passive
 * reply; late, the webhook answers `success` at once and the texts go out through the
 * customer-service API when they are ready. A push answered that way — or still being handled — is
 * remembered for a while, so that WeChat's re-delivery of it gets `success` instead of a second copy.
 * (This memory is per process; the webhook also marks late pushes in Redis, so that a re-delivery
 * landing on another web process is answered `success` there too.)
 */

export type BudgetOutcome = { kind: 'ready'; texts: string[] } | { kind: 'late' } | { kind: 'busy' };

export interface ReplyBudget {
  withinBudget(
    messageId: string,
    work: () => Promise<string[]>,
    late: (texts: string[]) => Promise<void>,
    onLateError: (error: unknown) => void,
  ): Promise<BudgetOutcome>;
}

export function createReplyBudget(budgetMs: number, rememberMs = 60_000, maxRemembered = 10_000): ReplyBudget {
  /** messageId → until when a re-delivery is answered `success`. */
  const taken = new Map<string, number>();
  const remember = (id: string, until: number) => {
    if (taken.size >= maxRemembered) {
      const now = Date.now();
      for (const [key, at] of taken) if (at < now || taken.size >= maxRemembered) taken.delete(key);
    }
    taken.set(id, until);
  };
  return {
    async withinBudget(messageId, work, late, onLateError) {
      const until = taken.get(messageId);
      if (until !== undefined && until > Date.now()) return { kind: 'busy' };
      remember(messageId, Number.POSITIVE_INFINITY);
      const running = work();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), budgetMs);
      });
      try {
        const texts = await Promise.race([running, timeout]);
        if (texts !== null) {
          taken.delete(messageId);
          return { kind: 'ready', texts };
        }
      } catch (error) {
        taken.delete(messageId);
        throw error;
      } finally {
        clearTimeout(timer);
      }
      running
        .then(late)
        .catch(onLateError)
        .finally(() => remember(messageId, Date.now() + rememberMs));
      return { kind: 'late' };
    },
  };
}
