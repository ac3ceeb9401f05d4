import type { ErrandStatus } from './errand-lifecycle.ts';

/**
 * Where a resident's materials are when an errand is withdrawn (domain.md §2–3), and so what the
 * withdrawal means for them. Materials are taken in at 收件 (accept: the ledger entry is made), go
 * to the centre with 递交 (submit) and stay there while the centre works on it, and come back to the
 * agent with a 补正 (return). Pure.
 *
 * - none: nothing was taken in (no ledger entry): nothing to give back;
 * - agent: the agent holds them: the agent gives them back;
 * - centre: they were delivered: the agent fetches them back from the centre and gives them back.
 */
export type MaterialCustody = 'none' | 'agent' | 'centre';

/** States in which the centre holds the delivered materials. */
const AT_CENTRE: readonly ErrandStatus[] = ['submitted', 'in_progress'];

export function custodyOf(errand: { status: ErrandStatus; suspendedFrom: ErrandStatus | null; inLedger: boolean }): MaterialCustody {
  if (!errand.inLedger) return 'none';
  const where = errand.status === 'suspended' ? errand.suspendedFrom : errand.status;
  return where && AT_CENTRE.includes(where) ? 'centre' : 'agent';
}
