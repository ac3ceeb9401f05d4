import type { ActorRole } from './roles.ts';

/**
 * The errand lifecycle of domain.md §3 as one pure transition table, for both directions of the
 * 双向代办网络. Each rule says which event moves an errand from which states to which, who may
 * trigger it, and which deadlines the move starts, meets, cancels, pauses or resumes.
 * Scope (which village, which agent) is checked separately in errand-permissions.ts.
 */

export const directions = ['village_to_centre', 'centre_to_village'] as const;
export type Direction = (typeof directions)[number];

export const errandStatuses = [
  'requested',
  'claimed',
  'accepted',
  'returned',
  'submitted',
  'in_progress',
  'suspended',
  'completed',
  'fed_back',
  'closed',
  'reopened',
  'withdrawn',
  'refused',
  // centre → village
  'dispatched',
  'picked_up',
  'handled',
  'handed_back',
] as const;
export type ErrandStatus = (typeof errandStatuses)[number];

export const terminalStatuses: readonly ErrandStatus[] = ['closed', 'withdrawn', 'refused'];

export const errandEvents = [
  'request',
  'claim',
  'accept',
  'return',
  'refuse',
  'submit',
  'start',
  'suspend',
  'resume',
  'complete',
  'feed_back',
  'rate',
  'archive',
  'reopen',
  'withdraw',
  'reassign',
  'dispatch',
  'pick_up',
  'finish_handling',
  'hand_back',
  'confirm_hand_back',
] as const;
export type ErrandEvent = (typeof errandEvents)[number];

export const deadlineKinds = [
  'claim', // 待接单
  'delivery', // 递交时限
  'completion', // 办结时限
  'feedback', // 反馈时限
  'rating', // 评价期限
  'rectification', // 差评整改
  'pickup', // 取件 (centre → village)
  'handling', // 村内办理
  'handback', // 交回
  'materials_return', // 退还材料 (after a withdrawal; started by the withdrawal's use case when materials were taken in)
] as const;
export type DeadlineKind = (typeof deadlineKinds)[number];

export interface DeadlineOps {
  /** Start these clocks (a running one of the same kind is replaced). */
  start: DeadlineKind[];
  /** These clocks are met: the duty was done. */
  meet: DeadlineKind[];
  /** These clocks no longer apply. `all` cancels every open one. */
  cancel: DeadlineKind[] | 'all';
  /** Pause every running clock (suspension), or resume every paused one. */
  pause: boolean;
  resume: boolean;
}

/** 'none' is the state before an errand exists; 'previous' resumes to the state before suspension; 'same' keeps it. */
type From = ErrandStatus | 'none';
type To = ErrandStatus | 'previous' | 'same';

export interface TransitionRule {
  event: ErrandEvent;
  directions: readonly Direction[];
  from: readonly From[];
  to: To;
  actors: readonly ActorRole[];
  /** A reason is required (refusal, suspension…) and is recorded in the history. */
  needsReason?: boolean;
  deadlines?: Partial<DeadlineOps>;
}

const BOTH = directions;
const V2C: readonly Direction[] = ['village_to_centre'];
const C2V: readonly Direction[] = ['centre_to_village'];

/** States in which work is under way, in either direction, and can be suspended or handed to another agent. */
const activeV2C: readonly ErrandStatus[] = ['claimed', 'accepted', 'returned', 'submitted', 'in_progress', 'reopened'];
const activeC2V: readonly ErrandStatus[] = ['dispatched', 'picked_up', 'handled'];

export const transitionTable: readonly TransitionRule[] = [
  // ── village → centre ──
  { event: 'request', directions: V2C, from: ['none'], to: 'requested', actors: ['resident', 'collector', 'agent'], deadlines: { start: ['claim'] } },
  { event: 'claim', directions: V2C, from: ['requested'], to: 'claimed', actors: ['agent'], deadlines: { meet: ['claim'] } },
  {
    event: 'accept',
    directions: V2C,
    from: ['requested', 'claimed', 'returned', 'reopened'],
    to: 'accepted',
    actors: ['agent'],
    deadlines: { meet: ['claim'], start: ['delivery'] },
  },
  // 补正 by the agent before delivery, with a one-time notice of everything missing.
  {
    event: 'return',
    directions: V2C,
    from: ['claimed', 'accepted', 'reopened'],
    to: 'returned',
    actors: ['agent'],
    needsReason: true,
    deadlines: { cancel: ['delivery'] },
  },
  // 补正 by the centre after delivery.
  {
    event: 'return',
    directions: V2C,
    from: ['submitted', 'in_progress'],
    to: 'returned',
    actors: ['centre_staff'],
    needsReason: true,
    deadlines: { cancel: ['completion'] },
  },
  {
    event: 'refuse',
    directions: V2C,
    from: ['requested', 'claimed', 'returned'],
    to: 'refused',
    actors: ['agent'],
    needsReason: true,
    deadlines: { cancel: 'all' },
  },
  { event: 'submit', directions: V2C, from: ['accepted'], to: 'submitted', actors: ['agent'], deadlines: { meet: ['delivery'] } },
  { event: 'start', directions: V2C, from: ['submitted'], to: 'in_progress', actors: ['centre_staff'], deadlines: { start: ['completion'] } },
  {
    event: 'complete',
    directions: V2C,
    from: ['in_progress'],
    to: 'completed',
    actors: ['centre_staff'],
    deadlines: { meet: ['completion'], start: ['feedback'] },
  },
  { event: 'feed_back', directions: V2C, from: ['completed'], to: 'fed_back', actors: ['agent'], deadlines: { meet: ['feedback'], start: ['rating'] } },
  // 办错了 / 工作失误: handled again at once by the same agent and centre.
  {
    event: 'reopen',
    directions: V2C,
    from: ['fed_back', 'closed'],
    to: 'reopened',
    actors: ['resident', 'agent', 'supervisor'],
    needsReason: true,
    deadlines: { cancel: ['rating'], start: ['delivery'] },
  },

  // ── centre → village ──
  { event: 'dispatch', directions: C2V, from: ['none'], to: 'dispatched', actors: ['centre_staff'], deadlines: { start: ['pickup'] } },
  { event: 'pick_up', directions: C2V, from: ['dispatched'], to: 'picked_up', actors: ['agent'], deadlines: { meet: ['pickup'], start: ['handling'] } },
  { event: 'finish_handling', directions: C2V, from: ['picked_up'], to: 'handled', actors: ['agent'], deadlines: { meet: ['handling'], start: ['handback'] } },
  { event: 'hand_back', directions: C2V, from: ['handled'], to: 'handed_back', actors: ['agent'], deadlines: { meet: ['handback'] } },
  { event: 'confirm_hand_back', directions: C2V, from: ['handed_back'], to: 'completed', actors: ['centre_staff'], deadlines: { start: ['feedback'] } },
  // The centre tells the resident to collect the result.
  { event: 'feed_back', directions: C2V, from: ['completed'], to: 'fed_back', actors: ['centre_staff'], deadlines: { meet: ['feedback'], start: ['rating'] } },

  // ── both directions ──
  { event: 'suspend', directions: V2C, from: activeV2C, to: 'suspended', actors: ['agent', 'centre_staff'], needsReason: true, deadlines: { pause: true } },
  { event: 'suspend', directions: C2V, from: activeC2V, to: 'suspended', actors: ['agent', 'centre_staff'], needsReason: true, deadlines: { pause: true } },
  { event: 'resume', directions: BOTH, from: ['suspended'], to: 'previous', actors: ['agent', 'centre_staff'], deadlines: { resume: true } },
  { event: 'rate', directions: BOTH, from: ['fed_back'], to: 'closed', actors: ['resident'], deadlines: { meet: ['rating'] } },
  { event: 'archive', directions: BOTH, from: ['fed_back'], to: 'closed', actors: ['system'], deadlines: { cancel: ['rating'] } },
  // 撤回: the resident may withdraw at every stage before completion (domain.md §3 "withdrew before
  // completion"): requested and claimed, after 收件 (accepted, returned), at the centre (submitted),
  // even once the centre has taken it on (in_progress), while suspended, and when a work error reopened
  // it. Completed, fed back and closed errands are done: there is nothing left to withdraw. Withdrawing
  // stops the errand and cancels every clock; whoever holds it is told (the agent, and the centre when
  // it was delivered). Materials taken in are given back (material-custody.ts): the agent returns them,
  // fetching them from the centre first if they were delivered, and records it with `退还`.
  {
    event: 'withdraw',
    directions: V2C,
    from: ['requested', 'claimed', 'accepted', 'returned', 'submitted', 'in_progress', 'suspended', 'reopened'],
    to: 'withdrawn',
    actors: ['resident'],
    deadlines: { cancel: 'all' },
  },
  {
    event: 'withdraw',
    directions: C2V,
    from: ['dispatched', 'picked_up', 'handled', 'suspended'],
    to: 'withdrawn',
    actors: ['resident', 'centre_staff'],
    deadlines: { cancel: 'all' },
  },
  // 转交: another agent of the village takes over; the state and its clocks stay as they are.
  { event: 'reassign', directions: V2C, from: [...activeV2C, 'suspended', 'completed'], to: 'same', actors: ['agent', 'supervisor', 'admin'] },
  { event: 'reassign', directions: C2V, from: [...activeC2V, 'suspended'], to: 'same', actors: ['agent', 'centre_staff', 'supervisor', 'admin'] },
];

export interface ErrandSnapshot {
  direction: Direction;
  /** null before the errand exists. */
  status: ErrandStatus | null;
  suspendedFrom: ErrandStatus | null;
}

export interface Transition {
  event: ErrandEvent;
  from: ErrandStatus | null;
  to: ErrandStatus;
  suspendedFrom: ErrandStatus | null;
  deadlines: DeadlineOps;
}

export type TransitionRefusal =
  | { kind: 'not_in_this_direction'; event: ErrandEvent; direction: Direction }
  | { kind: 'not_in_this_state'; event: ErrandEvent; status: ErrandStatus | null; allowedFrom: ErrandStatus[] }
  | { kind: 'role_not_permitted'; event: ErrandEvent; role: ActorRole; allowedRoles: ActorRole[] }
  | { kind: 'reason_required'; event: ErrandEvent }
  | { kind: 'suspension_origin_missing' };

export type TransitionResult = { ok: true; transition: Transition } | { ok: false; refusal: TransitionRefusal };

const emptyOps = (): DeadlineOps => ({ start: [], meet: [], cancel: [], pause: false, resume: false });

function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/**
 * Decides a move. Pure: no clock, no storage. When several rules share an event (e.g. `return` by
 * the agent or by the centre), the refusal names every state and role that would have worked.
 */
export function transition(errand: ErrandSnapshot, event: ErrandEvent, actor: ActorRole, reason?: string | null): TransitionResult {
  const byEvent = transitionTable.filter((r) => r.event === event);
  const inDirection = byEvent.filter((r) => r.directions.includes(errand.direction));
  if (inDirection.length === 0) return { ok: false, refusal: { kind: 'not_in_this_direction', event, direction: errand.direction } };

  const from: From = errand.status ?? 'none';
  const inState = inDirection.filter((r) => r.from.includes(from));
  if (inState.length === 0) {
    const allowedFrom = unique(inDirection.flatMap((r) => r.from)).filter((s): s is ErrandStatus => s !== 'none');
    return { ok: false, refusal: { kind: 'not_in_this_state', event, status: errand.status, allowedFrom } };
  }
  const rule = inState.find((r) => r.actors.includes(actor));
  if (!rule) {
    return { ok: false, refusal: { kind: 'role_not_permitted', event, role: actor, allowedRoles: unique(inState.flatMap((r) => r.actors)) } };
  }
  if (rule.needsReason && !reason?.trim()) return { ok: false, refusal: { kind: 'reason_required', event } };

  let to: ErrandStatus;
  let suspendedFrom: ErrandStatus | null = null;
  if (rule.to === 'previous') {
    if (!errand.suspendedFrom) return { ok: false, refusal: { kind: 'suspension_origin_missing' } };
    to = errand.suspendedFrom;
  } else if (rule.to === 'same') {
    // 'none' never reaches here: every 'same' rule starts from an existing state.
    to = errand.status as ErrandStatus;
    suspendedFrom = errand.suspendedFrom;
  } else {
    to = rule.to;
    if (to === 'suspended') suspendedFrom = errand.status;
  }
  return { ok: true, transition: { event, from: errand.status, to, suspendedFrom, deadlines: { ...emptyOps(), ...rule.deadlines } } };
}

/** Which events an actor could trigger on an errand now (for help texts and menus). */
export function availableEvents(errand: ErrandSnapshot, actor: ActorRole): ErrandEvent[] {
  return unique(
    transitionTable
      .filter((r) => r.directions.includes(errand.direction) && r.from.includes(errand.status ?? 'none') && r.actors.includes(actor))
      .map((r) => r.event),
  );
}

export function isTerminal(status: ErrandStatus): boolean {
  return terminalStatuses.includes(status);
}

/** Still open for the resident: not closed, withdrawn or refused, and the result not yet given back. */
export function isOpenForResident(status: ErrandStatus): boolean {
  return !isTerminal(status) && status !== 'fed_back';
}
