import { describe, expect, it } from 'vitest';
import { transition, type ErrandStatus } from '../../src/domain/errand-lifecycle.ts';
import { custodyOf, type MaterialCustody } from '../../src/domain/material-custody.ts';

describe('where the materials are when an errand is withdrawn', () => {
  it.each<[ErrandStatus, ErrandStatus | null, boolean, MaterialCustody]>([
    ['requested', null, false, 'none'],
    ['claimed', null, false, 'none'],
    ['accepted', null, true, 'agent'],
    ['returned', null, true, 'agent'],
    ['returned', null, false, 'none'],
    ['submitted', null, true, 'centre'],
    ['in_progress', null, true, 'centre'],
    ['suspended', 'in_progress', true, 'centre'],
    ['suspended', 'accepted', true, 'agent'],
    ['suspended', 'claimed', false, 'none'],
    ['reopened', null, true, 'agent'],
  ])('%s (suspended from %s, in the ledger: %s) → %s', (status, suspendedFrom, inLedger, want) => {
    expect(custodyOf({ status, suspendedFrom, inLedger })).toBe(want);
  });

  it('lets the resident withdraw at every stage before completion, and not after', () => {
    const open: ErrandStatus[] = ['requested', 'claimed', 'accepted', 'returned', 'submitted', 'in_progress', 'reopened'];
    for (const status of open)
      expect(transition({ direction: 'village_to_centre', status, suspendedFrom: null }, 'withdraw', 'resident').ok, status).toBe(true);
    expect(transition({ direction: 'village_to_centre', status: 'suspended', suspendedFrom: 'submitted' }, 'withdraw', 'resident').ok).toBe(true);
    for (const status of ['completed', 'fed_back', 'closed', 'withdrawn', 'refused'] as const)
      expect(transition({ direction: 'village_to_centre', status, suspendedFrom: null }, 'withdraw', 'resident').ok, status).toBe(false);
  });
});
