import { commandsFor, commandSpec } from '../../commands/command-catalog.ts';
import type { ParseResult } from '../../commands/command-grammar.ts';
import type { PersonRole } from '../../domain/roles.ts';
import { reply, type CommandEnv, type CommandResult, type CommandTurn } from './command-context.ts';
import { runErrandCommand, type ErrandCommand } from './errand-commands.ts';
import { runFilingCommand } from './filing-commands.ts';
import { runListingCommand } from './listing-commands.ts';
import { grantsInRoom, roomName, roomScope } from './room-scope.ts';

/** Runs a parsed chat command for a staff member: 帮助, a wrong form explained, or the command itself. */
export function runCommand(env: CommandEnv, turn: CommandTurn, parsed: Exclude<ParseResult, { kind: 'none' }>): CommandResult {
  const { templates } = env;
  if (parsed.kind === 'malformed') {
    const spec = commandSpec(parsed.name);
    const problem = templates.render(`cmd.problem_${parsed.problem}`, { detail: parsed.detail ?? '' });
    return reply(templates.render('cmd.malformed', { problem, form: spec.form, example: spec.example }));
  }
  const command = parsed.command;
  if (turn.room && command.name !== 'help') {
    // In a group the command acts only within the group's village or township.
    const scope = roomScope(env.directory, turn.room);
    const grants = grantsInRoom(turn.actor.grants, scope);
    const roles = commandSpec(command.name).roles;
    const mayHere = grants.some((g) => roles.includes(g.role));
    if (!mayHere && turn.actor.grants.some((g) => roles.includes(g.role)))
      return reply(templates.render('cmd.room_out_of_scope', { roomName: roomName(env.directory, turn.room) }));
    turn = { ...turn, actor: { ...turn.actor, grants }, scope };
  }
  switch (command.name) {
    case 'help': {
      const roles = [...new Set(turn.actor.grants.map((g) => g.role))].filter((r): r is PersonRole => r !== 'resident');
      const commands = commandsFor(roles).map((c) => ({ form: c.form, example: c.example }));
      return reply(templates.render('cmd.help', { roles: roles.map((r) => templates.render(`role.${r}`, {})).join('、'), commands, botName: env.botName }));
    }
    case 'my_list':
    case 'overdue':
    case 'stats':
      return runListingCommand(env, turn, command);
    case 'file':
    case 'collect':
    case 'dispatch':
      return runFilingCommand(env, turn, command);
    default:
      return runErrandCommand(env, turn, command satisfies ErrandCommand);
  }
}
