import type { Input } from '../conversation/engine.ts';
import { findInbox, loadConversation, recordInbox, saveConversation } from '../db/conversation-repository.ts';
import { createGroupCommit } from '../db/group-commit.ts';
import { insertOutbox } from '../db/outbox-repository.ts';
import { claimOneUseKey } from '../db/signed-request-repository.ts';
import { namesOnErrands } from '../db/errand-queries.ts';
import { maskNamesIn } from '../domain/masking.ts';
import { personById, touchIdentity, type UserAction } from '../db/people-repository.ts';
import { StaleErrandError } from '../db/errand-repository.ts';
import { AppError, errorCatalog, isAppError } from '../errors.ts';
import { parseCommand, type ParseResult } from '../commands/command-grammar.ts';
import { applyEffects } from './apply-effects.ts';
import type { AppContext, AppContexts } from './app-context.ts';
import { runCommand } from './commands/run-command.ts';
import { buildFlowContext } from './flow-context-builder.ts';
import type { InboundMessage, InboundResult, OutboundReply } from './inbound-message.ts';
import type { Logger, OutboxDispatch } from './ports.ts';
import { renderReplies } from './render-replies.ts';
import { keepResidentPhoto } from './resident-photos.ts';

/**
 * Handles one inbound message: de-duplication, the conversation step, the effects, the conversation
 * state, the reply and the notifications, all in one SQLite transaction (a savepoint of it when the
 * message is committed together with others by `submit`); only after the commit is the outbox
 * dispatcher told. The whole path is synchronous up to the commit, so the messages of one
 * conversation are handled strictly in order within a process; across processes the conversation's
 * revision check makes a second writer retry instead of overwriting.
 */

export interface InboundDeps {
  /** Each turn's context, read once at its start. */
  context: AppContexts;
  /** Told after a commit which errands changed, to schedule their deadline alerts. */
  alerts?: { changed(errandIds: ReadonlySet<number>): void };
  dispatch: OutboxDispatch;
  logger: Logger;
}

export interface InboundHandler {
  /** Handles one message in a transaction of its own. */
  handle(message: InboundMessage): InboundResult;
  /**
   * The same, committed together with the other messages that arrived in this turn of the event
   * loop (group commit: far fewer pages written per message under load). For the channels' edges.
   */
  submit(message: InboundMessage): Promise<InboundResult>;
}

class ConversationConflict extends Error {
  override name = 'ConversationConflict';
}

const MAX_ATTEMPTS = 3;

/** A follow, a scan or a menu click is an event; everything else the person wrote. */
const actionOf = (message: InboundMessage): UserAction => (message.opened || message.menuClick ? 'event' : 'message');

interface Turn {
  result: InboundResult;
  pending: number[];
  /** Errands the turn changed (their deadline jobs are rescheduled after the commit). */
  touched?: Set<number>;
}

/** While Redis is away every message's enqueue fails: say so once a minute with a count, not once per message. */
function createDeferralLog(logger: Logger, everyMs = 60_000) {
  let count = 0;
  let lastAt = 0;
  return {
    note(error: unknown, outboxRows: number) {
      count += outboxRows;
      const now = Date.now();
      if (now - lastAt < everyMs) return;
      logger.warn({ err: error, outboxRows: count }, 'outbox dispatch deferred (Redis unreachable?): the sweeper will deliver these');
      count = 0;
      lastAt = now;
    },
  };
}

export function createInboundHandler(deps: InboundDeps): InboundHandler {
  // The database and the templates live as long as the process; the roster and the catalogue are read per turn.
  const { database, templates, botName } = deps.context();
  const deferred = createDeferralLog(deps.logger);

  const replay = (message: InboundMessage): Turn | null => {
    if (!message.messageId) return null;
    const seen = findInbox(database, message.channel, message.messageId);
    if (!seen) return null;
    const to = message.roomId ? null : message.senderId;
    return { result: { replies: (seen.response ?? []).map((text) => ({ to, room: message.roomId, text })), duplicate: true }, pending: [] };
  };

  /**
   * The reply rows the current turn wrote: `later` ones the channel sends through the worker (told
   * after the commit), `sent` ones that went with the answer. A turn is synchronous, so no other
   * message's turn can interleave; a failed attempt's rows rolled back with it and are forgotten.
   */
  let replyRows = { later: [] as number[], sent: [] as number[] };
  const forgetReplyRows = () => {
    const rows = replyRows;
    replyRows = { later: [], sent: [] };
    return rows;
  };
  const respond = (message: InboundMessage, texts: string[], identityId: number | null, now: number, remember: boolean): OutboundReply[] => {
    const to = message.roomId ? null : message.senderId;
    const later = message.replyLater === true;
    const ids = insertOutbox(
      database,
      texts.map((text) => ({ channel: message.channel, recipient: to, room: message.roomId, text, kind: 'reply' as const, later })),
      now,
    );
    if (later) replyRows.later.push(...ids);
    else replyRows.sent = ids;
    if (remember && message.messageId) recordInbox(database, { channel: message.channel, messageId: message.messageId, identityId, response: texts, at: now });
    return texts.map((text) => ({ to, room: message.roomId, text }));
  };

  /** A staff member's command, in a room or privately; the reply goes back where it was said. */
  const commandTurn = (message: InboundMessage, parsed: Exclude<ParseResult, { kind: 'none' }>, app: AppContext): Turn => {
    const { directory } = app;
    const now = message.receivedAt;
    const identity = touchIdentity(database, message.channel, message.senderId, now, actionOf(message));
    const actor = directory.staffByIdentity(message.channel, message.senderId);
    if (!actor)
      return { result: { replies: respond(message, [templates.render('cmd.not_member', {})], identity.id, now, true), duplicate: false }, pending: [] };
    const touched = new Set<number>();
    const env = { ...app, touched };
    const room = message.roomId ? (directory.room(message.channel, message.roomId) ?? null) : null;
    const result = runCommand(env, { actor, channel: message.channel, room, now }, parsed);
    // The last guard of group privacy for replies (insertOutbox guards notices): no full name of anyone
    // on the errands the command concerned is said in a group.
    const names = message.roomId ? namesOnErrands(database, [...new Set([...touched, ...result.outbox.flatMap((m) => (m.errandId ? [m.errandId] : []))])]) : [];
    const replies = result.replies.filter(Boolean).map((text) => (message.roomId ? maskNamesIn(text, names) : text));
    const pending = insertOutbox(database, result.outbox, now);
    const name = parsed.kind === 'command' ? parsed.command.name : parsed.name;
    deps.logger.info({ command: name, actor: actor.id, channel: message.channel, room: message.roomId }, 'command');
    return { result: { replies: respond(message, replies, identity.id, now, true), duplicate: false }, pending, touched };
  };

  /** A signed key reused with another body: refused before anything is read or written. */
  const refuseReusedSignature = (message: InboundMessage) => {
    if (message.oneUse && claimOneUseKey(database, message.oneUse, message.receivedAt) === 'replay')
      throw new AppError('invalid_signature', 'This signature was already used for another message.');
  };

  const roomTurn = (message: InboundMessage): Turn =>
    database.write(() => {
      refuseReusedSignature(message);
      const again = replay(message);
      if (again) return again;
      const app = deps.context();
      const { directory } = app;
      if (!directory.room(message.channel, message.roomId ?? '')) throw new AppError('unknown_room', `room ${message.roomId ?? ''} is not in the roster`);
      const parsed = parseCommand(message.text, botName);
      if (parsed.kind !== 'none') return commandTurn(message, parsed, app);
      const identity = touchIdentity(database, message.channel, message.senderId, message.receivedAt, actionOf(message));
      // In a room the bot speaks only when spoken to.
      const texts = message.mentionsBot ? [templates.render('room.hint', { county: directory.county, botName })] : [];
      return { result: { replies: respond(message, texts, identity.id, message.receivedAt, true), duplicate: false }, pending: [] };
    });

  const privateTurn = (message: InboundMessage): Turn =>
    database.write(() => {
      refuseReusedSignature(message);
      const again = replay(message);
      if (again) return again;
      const now = message.receivedAt;
      // Staff give commands privately too; anything else (and everything from residents) is a conversation.
      const app = deps.context();
      const { directory, catalog, matcher } = app;
      if (directory.staffByIdentity(message.channel, message.senderId)) {
        const parsed = parseCommand(message.text, botName);
        if (parsed.kind !== 'none') return commandTurn(message, parsed, app);
      }
      const identity = touchIdentity(database, message.channel, message.senderId, now, actionOf(message));
      const person = identity.personId ? (personById(database, identity.personId) ?? null) : null;
      if (message.photo) {
        const kept = keepResidentPhoto({ database, directory, templates }, { identity, person, channel: message.channel, ...message.photo, now });
        const pending = insertOutbox(database, kept.notices, now);
        return { result: { replies: respond(message, [kept.reply], identity.id, now, true), duplicate: false }, pending };
      }
      const stored = loadConversation(database, identity.id);
      const ctx = buildFlowContext({ database, directory, catalog, matcher, templates }, { now, identity, person });
      const input: Input = message.opened
        ? { kind: 'start', ...(message.opened.villageCode ? { villageCode: message.opened.villageCode } : {}) }
        : { kind: 'text', text: message.text };
      const step = app.engine.step(stored?.state ?? null, input, ctx);
      const touched = new Set<number>();
      const applied = applyEffects({ ...app, touched }, { identity, person, ctx, now }, step.effects);
      if (applied.results.receiptNo) deps.logger.info({ receiptNo: applied.results.receiptNo, channel: message.channel }, 'errand requested');
      const text = renderReplies(templates, step.replies, applied.results);
      if (!saveConversation(database, identity.id, step.state, stored?.revision ?? null, now)) throw new ConversationConflict();
      return {
        result: { replies: respond(message, text ? [text] : [], identity.id, now, true), duplicate: false },
        pending: applied.pendingOutboxIds,
        touched,
      };
    });

  /** An expected refusal or an unexpected failure: the conversation stays where it was; the person is told. */
  const failedTurn = (message: InboundMessage, error: AppError): Turn =>
    database.write(() => {
      const identity = touchIdentity(database, message.channel, message.senderId, message.receivedAt, actionOf(message));
      const template = errorCatalog[error.code].template ?? 'errors.internal';
      const text = templates.render(template, { county: deps.context().directory.county });
      // A refusal is final for this message; after a failure of ours a re-delivery may try again.
      const remember = error.code !== 'internal' && error.code !== 'conflict';
      return { result: { replies: respond(message, [text], identity.id, message.receivedAt, remember), duplicate: false }, pending: [] };
    });

  /** The message's turn, with its retries and its refusal; runs inside a write transaction or opens its own. */
  const turnFor = (message: InboundMessage): Turn => {
    forgetReplyRows();
    let turn: Turn | null = null;
    for (let attempt = 1; !turn; attempt++) {
      try {
        turn = message.roomId ? roomTurn(message) : privateTurn(message);
      } catch (error) {
        // The failed attempt's transaction (or savepoint) rolled back its rows.
        forgetReplyRows();
        const concurrent = error instanceof ConversationConflict || error instanceof StaleErrandError;
        if (concurrent && attempt < MAX_ATTEMPTS) continue;
        // Refusals of the request itself, not of what it says: the edge answers them (no reply is written).
        if (isAppError(error) && (error.code === 'unknown_room' || error.code === 'invalid_signature')) throw error;
        if (isAppError(error) && error.code !== 'internal') {
          deps.logger.info({ code: error.code, reason: error.message, channel: message.channel }, 'message refused');
          turn = failedTurn(message, error);
        } else {
          deps.logger.error({ err: error, channel: message.channel, sender: message.senderId }, 'message handling failed');
          turn = failedTurn(message, concurrent ? new AppError('conflict') : new AppError('internal', undefined, undefined, { cause: error }));
        }
      }
    }
    const rows = forgetReplyRows();
    const pending = [...rows.later, ...turn.pending];
    const result = rows.sent.length ? { ...turn.result, sentReplyIds: rows.sent } : turn.result;
    return { ...turn, result, pending };
  };

  /** After the commit: the outbox worker hears of the new rows and the deadline scheduler of the changed errands (one call each for a batch). */
  const afterCommit = (turns: readonly Turn[]) => {
    const pending = turns.flatMap((t) => t.pending);
    if (pending.length) deps.dispatch.enqueue(pending).catch((error: unknown) => deferred.note(error, pending.length));
    const touched = new Set(turns.flatMap((t) => [...(t.touched ?? [])]));
    if (touched.size) deps.alerts?.changed(touched);
  };

  const grouped = createGroupCommit(database, turnFor, afterCommit, {
    onAfterError: (error) => deps.logger.error({ err: error }, 'after-commit step of a batch failed'),
  });

  return {
    handle(message) {
      const turn = turnFor(message);
      afterCommit([turn]);
      return turn.result;
    },
    submit: async (message) => (await grouped(message)).result,
  };
}
