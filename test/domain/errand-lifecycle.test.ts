import { describe, expect, it } from 'vitest';
import { actorRoles, type ActorRole } from '../../src/domain/roles.ts';
import {
  availableEvents,
  directions,
  errandEvents,
  errandStatuses,
  transition,
  type DeadlineKind,
  type Direction,
  type ErrandEvent,
  type ErrandStatus,
} from '../../src/domain/errand-lifecycle.ts';

/**
 * Every state × event × actor, both directions, against the situations of domain.md §3 written out
 * here by hand: what is allowed (and where it leads), and that everything else is refused with the
 * right reason.
 */

type From = ErrandStatus | 'none';
interface Allowed {
  direction: Direction;
  from: From[];
  event: ErrandEvent;
  actors: ActorRole[];
  to: ErrandStatus | 'previous' | 'same';
  reason?: true;
}

const V: Direction = 'village_to_centre';
const C: Direction = 'centre_to_village';

const allowed: Allowed[] = [
  { direction: V, from: ['none'], event: 'request', actors: ['resident', 'collector', 'agent'], to: 'requested' },
  { direction: V, from: ['requested'], event: 'claim', actors: ['agent'], to: 'claimed' },
  { direction: V, from: ['requested', 'claimed', 'returned', 'reopened'], event: 'accept', actors: ['agent'], to: 'accepted' },
  { direction: V, from: ['claimed', 'accepted', 'reopened'], event: 'return', actors: ['agent'], to: 'returned', reason: true },
  { direction: V, from: ['submitted', 'in_progress'], event: 'return', actors: ['centre_staff'], to: 'returned', reason: true },
  { direction: V, from: ['requested', 'claimed', 'returned'], event: 'refuse', actors: ['agent'], to: 'refused', reason: true },
  { direction: V, from: ['accepted'], event: 'submit', actors: ['agent'], to: 'submitted' },
  { direction: V, from: ['submitted'], event: 'start', actors: ['centre_staff'], to: 'in_progress' },
  { direction: V, from: ['in_progress'], event: 'complete', actors: ['centre_staff'], to: 'completed' },
  { direction: V, from: ['completed'], event: 'feed_back', actors: ['agent'], to: 'fed_back' },
  { direction: V, from: ['fed_back', 'closed'], event: 'reopen', actors: ['resident', 'agent', 'supervisor'], to: 'reopened', reason: true },
  {
    direction: V,
    from: ['claimed', 'accepted', 'returned', 'submitted', 'in_progress', 'reopened'],
    event: 'suspend',
    actors: ['agent', 'centre_staff'],
    to: 'suspended',
    reason: true,
  },
  { direction: V, from: ['suspended'], event: 'resume', actors: ['agent', 'centre_staff'], to: 'previous' },
  { direction: V, from: ['fed_back'], event: 'rate', actors: ['resident'], to: 'closed' },
  { direction: V, from: ['fed_back'], event: 'archive', actors: ['system'], to: 'closed' },
  {
    direction: V,
    from: ['requested', 'claimed', 'accepted', 'returned', 'submitted', 'in_progress', 'suspended', 'reopened'],
    event: 'withdraw',
    actors: ['resident'],
    to: 'withdrawn',
  },
  {
    direction: V,
    from: ['claimed', 'accepted', 'returned', 'submitted', 'in_progress', 'reopened', 'suspended', 'completed'],
    event: 'reassign',
    actors: ['agent', 'supervisor', 'admin'],
    to: 'same',
  },

  { direction: C, from: ['none'], event: 'dispatch', actors: ['centre_staff'], to: 'dispatched' },
  { direction: C, from: ['dispatched'], event: 'pick_up', actors: ['agent'], to: 'picked_up' },
  { direction: C, from: ['picked_up'], event: 'finish_handling', actors: ['agent'], to: 'handled' },
  { direction: C, from: ['handled'], event: 'hand_back', actors: ['agent'], to: 'handed_back' },
  { direction: C, from: ['handed_back'], event: 'confirm_hand_back', actors: ['centre_staff'], to: 'completed' },
  { direction: C, from: ['completed'], event: 'feed_back', actors: ['centre_staff'], to: 'fed_back' },
  { direction: C, from: ['dispatched', 'picked_up', 'handled'], event: 'suspend', actors: ['agent', 'centre_staff'], to: 'suspended', reason: true },
  { direction: C, from: ['suspended'], event: 'resume', actors: ['agent', 'centre_staff'], to: 'previous' },
  { direction: C, from: ['fed_back'], event: 'rate', actors: ['resident'], to: 'closed' },
  { direction: C, from: ['fed_back'], event: 'archive', actors: ['system'], to: 'closed' },
  { direction: C, from: ['dispatched', 'picked_up', 'handled', 'suspended'], event: 'withdraw', actors: ['resident', 'centre_staff'], to: 'withdrawn' },
  {
    direction: C,
    from: ['dispatched', 'picked_up', 'handled', 'suspended'],
    event: 'reassign',
    actors: ['agent', 'centre_staff', 'supervisor', 'admin'],
    to: 'same',
  },
];

const froms: From[] = ['none', ...errandStatuses];

function expectation(direction: Direction, from: From, event: ErrandEvent, actor: ActorRole) {
  const rules = allowed.filter((a) => a.direction === direction && a.event === event);
  if (!rules.length) return { kind: 'not_in_this_direction' as const };
  const inState = rules.filter((a) => a.from.includes(from));
  if (!inState.length) return { kind: 'not_in_this_state' as const };
  const rule = inState.find((a) => a.actors.includes(actor));
  if (!rule) return { kind: 'role_not_permitted' as const, allowedRoles: [...new Set(inState.flatMap((a) => a.actors))].sort() };
  return { kind: 'ok' as const, rule };
}

describe('the errand lifecycle table', () => {
  for (const direction of directions) {
    it(`decides every state × event × actor of ${direction} as domain.md §3 says`, () => {
      let checked = 0;
      for (const from of froms) {
        for (const event of errandEvents) {
          for (const actor of actorRoles) {
            const status = from === 'none' ? null : from;
            // A suspended errand remembers where it was; use a state it could have come from.
            const suspendedFrom: ErrandStatus | null = from === 'suspended' ? (direction === V ? 'in_progress' : 'picked_up') : null;
            const result = transition({ direction, status, suspendedFrom }, event, actor, 'a reason');
            const want = expectation(direction, from, event, actor);
            const where = `${direction} ${from} ${event} by ${actor}`;
            if (want.kind === 'ok') {
              expect(result.ok, where).toBe(true);
              if (!result.ok) continue;
              const to = want.rule.to === 'previous' ? suspendedFrom : want.rule.to === 'same' ? status : want.rule.to;
              expect(result.transition.to, where).toBe(to);
              expect(result.transition.suspendedFrom, where).toBe(want.rule.to === 'suspended' ? status : want.rule.to === 'same' ? suspendedFrom : null);
            } else {
              expect(result.ok, where).toBe(false);
              if (result.ok) continue;
              expect(result.refusal.kind, where).toBe(want.kind);
              if (want.kind === 'role_not_permitted' && result.refusal.kind === 'role_not_permitted') {
                expect([...result.refusal.allowedRoles].sort(), where).toEqual(want.allowedRoles);
              }
            }
            checked++;
          }
        }
      }
      expect(checked).toBe(froms.length * errandEvents.length * actorRoles.length);
    });
  }

  it('requires a reason for refusing, returning, suspending and reopening', () => {
    for (const rule of allowed.filter((a) => a.reason)) {
      const from = rule.from[0] as ErrandStatus;
      const result = transition({ direction: rule.direction, status: from, suspendedFrom: null }, rule.event, rule.actors[0] as ActorRole, '  ');
      expect(result.ok ? 'ok' : result.refusal.kind, `${rule.event} from ${from}`).toBe('reason_required');
    }
  });

  it('cannot resume a suspended errand that does not know where it was', () => {
    const r = transition({ direction: V, status: 'suspended', suspendedFrom: null }, 'resume', 'agent');
    expect(r.ok ? null : r.refusal.kind).toBe('suspension_origin_missing');
  });

  it.each<
    [
      Direction,
      From,
      ErrandEvent,
      ActorRole,
      { start?: DeadlineKind[]; meet?: DeadlineKind[]; cancel?: DeadlineKind[] | 'all'; pause?: boolean; resume?: boolean },
    ]
  >([
    [V, 'none', 'request', 'resident', { start: ['claim'] }],
    [V, 'requested', 'claim', 'agent', { meet: ['claim'] }],
    [V, 'claimed', 'accept', 'agent', { meet: ['claim'], start: ['delivery'] }],
    [V, 'accepted', 'submit', 'agent', { meet: ['delivery'] }],
    [V, 'submitted', 'start', 'centre_staff', { start: ['completion'] }],
    [V, 'in_progress', 'complete', 'centre_staff', { meet: ['completion'], start: ['feedback'] }],
    [V, 'completed', 'feed_back', 'agent', { meet: ['feedback'], start: ['rating'] }],
    [V, 'fed_back', 'rate', 'resident', { meet: ['rating'] }],
    [V, 'in_progress', 'suspend', 'centre_staff', { pause: true }],
    [V, 'suspended', 'resume', 'agent', { resume: true }],
    [V, 'in_progress', 'withdraw', 'resident', { cancel: 'all' }],
    [V, 'closed', 'reopen', 'resident', { cancel: ['rating'], start: ['delivery'] }],
    [C, 'none', 'dispatch', 'centre_staff', { start: ['pickup'] }],
    [C, 'dispatched', 'pick_up', 'agent', { meet: ['pickup'], start: ['handling'] }],
    [C, 'picked_up', 'finish_handling', 'agent', { meet: ['handling'], start: ['handback'] }],
    [C, 'handled', 'hand_back', 'agent', { meet: ['handback'] }],
    [C, 'handed_back', 'confirm_hand_back', 'centre_staff', { start: ['feedback'] }],
  ])('%s %s --%s by %s--> starts, meets, cancels, pauses the right clocks', (direction, from, event, actor, ops) => {
    const r = transition(
      { direction, status: from === 'none' ? null : from, suspendedFrom: from === 'suspended' ? 'in_progress' : null },
      event,
      actor,
      'reason',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.transition.deadlines).toEqual({ start: [], meet: [], cancel: [], pause: false, resume: false, ...ops });
  });

  it('tells an actor what they can do now', () => {
    expect(availableEvents({ direction: V, status: 'requested', suspendedFrom: null }, 'agent').sort()).toEqual(['accept', 'claim', 'refuse']);
    expect(availableEvents({ direction: V, status: 'requested', suspendedFrom: null }, 'resident')).toEqual(['withdraw']);
    expect(availableEvents({ direction: C, status: null, suspendedFrom: null }, 'centre_staff')).toEqual(['dispatch']);
  });
});
