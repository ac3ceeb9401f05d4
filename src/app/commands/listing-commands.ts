import { addDays, shanghaiDate, type LocalDate } from '../../calendar/local-date.ts';
import { authoriseCommand } from '../../commands/command-authorisation.ts';
import { commandSpec } from '../../commands/command-catalog.ts';
import type { Command } from '../../commands/command-grammar.ts';
import { maskName } from '../../domain/masking.ts';
import { deadLettersBetween, villageDeliveryStats } from '../../db/delivery-stats.ts';
import { openErrandsFor, overdueErrandsFor, villageStats, type ListedErrand } from '../../db/listing-queries.ts';
import { owedReturnsFor } from '../../db/material-return-repository.ts';
import { materialList } from '../errand-views.ts';
import { reply, type CommandEnv, type CommandResult, type CommandTurn } from './command-context.ts';

/**
 * 待办 (my open errands, each with its next deadline, then the withdrawn ones whose materials are still to be given back), 逾期 (the overdue ones) and 统计 (per village:
 * volume, on-time rate, overdue, average working days, satisfaction, complaints; reminders and
 * escalations sent, dead letters — and for the whole county the dead letters that concern no errand too).
 */

type ListingCommand = Extract<Command, { name: 'my_list' | 'overdue' | 'stats' }>;

export const LIST_LIMIT = 20;

export function runListingCommand(env: CommandEnv, turn: CommandTurn, command: ListingCommand): CommandResult {
  const { templates, directory } = env;
  const say = (key: string, vars: Record<string, unknown> = {}) => templates.render(`cmd.${key}`, vars);
  const auth = authoriseCommand({ personId: turn.actor.id, grants: turn.actor.grants }, command.name, null);
  if (!auth.ok)
    return reply(
      say('refused_role', {
        command: commandSpec(command.name).words[0],
        allowed: commandSpec(command.name)
          .roles.map((r) => templates.render(`role.${r}`, {}))
          .join('或'),
      }),
    );
  const grants = turn.actor.grants;
  const scope = {
    agentId: grants.some((g) => g.role === 'agent') ? turn.actor.id : null,
    villages: grants.filter((g) => g.role === 'agent').flatMap((g) => (g.villageCode ? [g.villageCode] : [])),
    townships: grants.filter((g) => g.role === 'centre_staff').flatMap((g) => (g.townshipCode ? [g.townshipCode] : [])),
    everywhere: grants.some((g) => g.role === 'supervisor' || g.role === 'admin'),
    // In a group, only the group's villages, whoever asks.
    ...(turn.scope ? { within: turn.scope.villages } : {}),
  };

  if (command.name === 'stats') {
    const today = shanghaiDate(turn.now);
    const thisMonth = `${today.slice(0, 7)}-01`;
    const from = command.month === 'this' ? thisMonth : `${addDays(thisMonth, -1).slice(0, 7)}-01`;
    const to = command.month === 'this' ? today : addDays(thisMonth, -1);
    const inScope = scope.everywhere
      ? directory.villages.map((v) => v.code)
      : directory.villages.filter((v) => scope.townships.includes(directory.village(v.code)?.townshipCode ?? '')).map((v) => v.code);
    const villages = scope.within ? inScope.filter((code) => scope.within?.includes(code)) : inScope;
    const calendar = env.calendars.forTownship(null);
    const rows = villageStats(env.database, {
      villages,
      from,
      to,
      now: turn.now,
      workingDays: (a: LocalDate, b: LocalDate) => calendar.countWorkingDays(a, b).count,
    });
    const delivery = new Map(villageDeliveryStats(env.database, { villages, from, to }).map((d) => [d.villageCode, d]));
    const pct = (n: number | null) => (n === null ? say('percent_none') : `${Math.round(n * 100)}%`);
    return reply(
      say('stats', {
        title: say(command.month === 'this' ? 'stats_title_this' : 'stats_title_last'),
        from,
        to,
        villages: rows.map((r) => ({
          name: directory.village(r.villageCode)?.name ?? r.villageCode,
          errands: r.errands,
          onTime: pct(r.onTimeRate),
          overdue: r.overdue,
          avgDays: r.averageWorkingDays === null ? '—' : r.averageWorkingDays.toFixed(1),
          satisfaction: pct(r.satisfaction),
          complaints: r.complaints,
          reminders: delivery.get(r.villageCode)?.reminders ?? 0,
          escalations: delivery.get(r.villageCode)?.escalations ?? 0,
          deadLetters: delivery.get(r.villageCode)?.deadLetters ?? 0,
        })),
        countyDeadLetters: scope.everywhere && !scope.within ? deadLettersBetween(env.database, { from, to }) : undefined,
      }),
    );
  }

  const overdue = command.name === 'overdue';
  const listed = overdue ? overdueErrandsFor(env.database, scope, turn.now, LIST_LIMIT) : openErrandsFor(env.database, scope, turn.now, LIST_LIMIT);
  const title = say(overdue ? 'list_title_overdue' : scope.townships.length && !scope.agentId ? 'list_title_centre' : 'list_title_mine');
  const owed = overdue ? [] : owedReturnsFor(env.database, scope);
  if (!listed.total && !owed.length) return reply(say('list_empty', { title }));
  // In a group only masked names; in a private chat the staff member sees whom each errand is for.
  const who = (e: Pick<ListedErrand, 'villageCode' | 'residentName'>) =>
    turn.room ? `${directory.village(e.villageCode)?.name ?? ''} ${maskName(e.residentName)}` : e.residentName;
  const deadlineLine = (kind: string, dueDate: string, dueAt: number | null) =>
    say('deadline_line', { label: templates.render(`deadline.${kind}`, {}), dueDate, overdue: dueAt !== null && dueAt < turn.now });
  return reply(
    say('list', {
      title,
      total: listed.total,
      shown: listed.errands.length,
      errands: listed.errands.map((e) => ({
        receiptNo: e.receiptNo,
        itemName: e.itemName,
        who: who(e),
        statusText: templates.render(`status.${e.status}`, {}),
        deadline: e.dueDate ? deadlineLine(e.deadlineKind ?? 'claim', e.dueDate, e.dueAt) : null,
      })),
      returns: owed.map((r) => ({
        receiptNo: r.receiptNo,
        itemName: r.itemName,
        who: who(r),
        atCentre: r.heldAt === 'centre',
        materials: materialList(templates, r.items, 'staff'),
        deadline: r.dueDate ? deadlineLine('materials_return', r.dueDate, r.dueAt) : null,
      })),
    }),
  );
}
