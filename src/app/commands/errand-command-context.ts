import type { Command } from '../../commands/command-grammar.ts';
import { noticesOf } from '../../db/errand-queries.ts';
import type { ErrandRow } from '../../db/errand-repository.ts';
import type { ErrandEvent } from '../../domain/errand-lifecycle.ts';
import type { PersonRole } from '../../domain/roles.ts';
import type { ErrandParties, Notifier } from '../errand-parties.ts';
import type { Moved, moveErrand } from '../move-errand.ts';
import { inviteResident } from '../resident-invitations.ts';
import type { CommandEnv, CommandResult, CommandTurn } from './command-context.ts';

/** What every errand command's handler gets: the errand found and authorised, its parties, and ways to say, notify and move it. */

export type ErrandCommand = Extract<Command, { receiptNo: string }>;

export interface Ctx {
  env: CommandEnv;
  turn: CommandTurn;
  errand: ErrandRow;
  role: PersonRole;
  parties: ErrandParties;
  say(key: string, vars?: Record<string, unknown>): string;
  /** The same, unmasked: for what goes to the speaker privately. */
  sayPrivately(key: string, vars?: Record<string, unknown>): string;
  notifier(tag: string): Notifier;
  move(
    event: ErrandEvent,
    options?: {
      reason?: string | null;
      patch?: Parameters<typeof moveErrand>[1]['patch'];
      days?: Parameters<typeof moveErrand>[1]['days'];
      data?: Record<string, unknown>;
    },
  ): Moved;
}

export type Handler = (ctx: Ctx, command: ErrandCommand) => CommandResult;

/** Room answers carry the masked view only; the speaker gets details privately. */
export const inRoom = (ctx: Ctx) => ctx.turn.room !== null;
export const dueLine = (ctx: Ctx, moved: Moved) => {
  const d = moved.next;
  return d?.dueDate
    ? ctx.env.templates.render('cmd.deadline_line', { label: ctx.env.templates.render(`deadline.${d.kind}`, {}), dueDate: d.dueDate, overdue: false })
    : null;
};

export function detailsFor(ctx: Ctx, errand: ErrandRow): string {
  const { env } = ctx;
  // The one-time notice the resident was given is the list to collect: only the materials of their situation.
  const intake = noticesOf(env.database, errand.id).find((n) => n.kind === 'intake');
  const listed = intake?.items ?? env.catalog.get(errand.itemId)?.materials ?? [];
  const materials = listed.map((m) => `${m.name}${m.when ? `（${m.when}）` : ''} ×${m.count}`);
  return ctx.sayPrivately('details', {
    forWhom: ctx.parties.vars.forWhom ?? env.templates.render('errand_view.for_self', {}),
    entrustment: env.templates.render(`entrustment_status.${errand.entrustmentStatus}`, {}),
    statusText: env.templates.render(`status.${errand.status}`, {}),
    deadline: null,
    materials,
  });
}

/** Where a decision on this errand's item can be challenged (行政复议 body, court); null when it is no administrative decision. */
export function reviewFor(ctx: Ctx): { body: string; court: string } | null {
  const item = ctx.env.catalog.get(ctx.errand.itemId);
  return item ? ctx.env.catalog.reviewOf(item) : null;
}

/** After the result reaches the resident, they are asked to rate it (now if idle, else later). */
export function inviteToRate(ctx: Ctx, errand: ErrandRow): CommandResult['outbox'] {
  const { env, turn } = ctx;
  const laterText = env.templates.render('notify.rate_later', ctx.parties.vars);
  return inviteResident(env, {
    residentId: errand.requesterId,
    channel: errand.channel,
    flowId: 'rating',
    errandId: errand.id,
    laterText,
    dedupeKey: `errand-${errand.id}-v${errand.version}-rate-invite`,
    now: turn.now,
  });
}
