import { randomBytes, randomInt } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, isAppError } from '../../errors.ts';
import { answerAsUnknownRoute, notConfigured } from '../unconfigured-channel.ts';
import { pushAction } from '../../channels/official-account/push-handling.ts';
import { createReplyBudget, type ReplyBudget } from '../../channels/official-account/reply-budget.ts';
import { computeMsgSignature, type MessageCrypto } from '../../channels/wechat/message-crypto.ts';
import { fitPassiveReply, renderEncryptedReply, renderTextReply } from '../../channels/official-account/passive-reply.ts';
import { oneUseKeyOf, type OneUseKey } from '../../channels/official-account/one-use-key.ts';
import { OFFICIAL_ACCOUNT_PATH, type OfficialAccountDeps } from '../../channels/official-account/webhook-deps.ts';
import { checkMsgSignature, checkSignature, type SignatureCheck } from '../../channels/wechat/signature.ts';
import { parsePush, type OfficialAccountPush } from '../../channels/official-account/xml-message.ts';
import { parseEncryptedEnvelope } from '../../channels/wechat/xml-envelope.ts';

/**
 * GET and POST /wechat/official-account — the Official Account's server push in plain, compatible
 * and safe (AES) mode. GET answers WeChat's URL check (in safe mode the echostr comes encrypted under
 * `msg_signature` and is answered decrypted). POST turns a push into the one inbound message (see
 * push-handling.ts for each kind) and answers with one passive XML reply — encrypted when the push
 * was — or `success` when there is nothing to say. The reply must be ready within the budget
 * (reply-budget.ts); what does not fit in one passive message, or comes late, is sent through the
 * customer-service API (`settle`).
 */

const signedQuery = z.object({
  signature: z.string().max(100).optional(),
  msg_signature: z.string().max(100).optional(),
  timestamp: z.string().max(20).default(''),
  nonce: z.string().max(100).default(''),
  echostr: z.string().max(1000).optional(),
  encrypt_type: z.string().max(20).optional(),
});
type Query = z.infer<typeof signedQuery>;

/** Documented in /docs; a query that is not a signed query is refused like a bad signature. */
const route = (summary: string) => ({
  schema: { summary, tags: ['wechat'], querystring: signedQuery },
  schemaErrorFormatter: () => new AppError('invalid_signature'),
});

/** The webhook; without the Official Account configured (null) it is declared for /docs and answers 404. */
export function registerOfficialAccountRoutes(app: FastifyInstance, configured: OfficialAccountDeps | null): void {
  const deps = configured ?? notConfigured<OfficialAccountDeps>('the Official Account');

  const refuseUnless = (check: SignatureCheck, log: FastifyBaseLogger, kind: string) => {
    if (check.ok) return;
    log.warn({ reason: check.reason, kind }, 'official account: request refused');
    throw new AppError('invalid_signature', check.reason === 'stale_timestamp' ? 'The timestamp is too far from the server clock.' : undefined);
  };
  const checkPlain = (q: Query, log: FastifyBaseLogger) =>
    refuseUnless(checkSignature(deps.token, { signature: q.signature ?? '', timestamp: q.timestamp, nonce: q.nonce }, deps.clock()), log, 'signature');
  const checkEncrypted = (q: Query, encrypt: string, log: FastifyBaseLogger) => {
    refuseUnless(
      checkMsgSignature(deps.token, { msgSignature: q.msg_signature ?? '', timestamp: q.timestamp, nonce: q.nonce }, encrypt, deps.clock()),
      log,
      'msg_signature',
    );
    // WeChat sends the plain signature alongside; when present it must be right as well.
    if (q.signature !== undefined) checkPlain(q, log);
  };
  const decrypt = (crypto: MessageCrypto, encrypt: string, log: FastifyBaseLogger) => {
    const d = crypto.decrypt(encrypt);
    if (!d.ok) {
      log.warn({ reason: d.reason }, 'official account: encrypted message refused');
      throw new AppError('invalid_request', 'The encrypted message could not be decrypted for this account.');
    }
    if (d.key === 'previous') log.info('official account: message decrypted with the previous EncodingAESKey');
    return d.message;
  };

  const replayed = () => new AppError('invalid_signature', 'This signature was already used for another message.');
  /** A push that changes something without being a message: its key is claimed on its own. */
  const claimFor = (oneUse: OneUseKey | null) => {
    if (oneUse && deps.claimOneUse(oneUse) === 'replay') throw replayed();
  };

  let budget: ReplyBudget | null = null;
  const textReply = (push: OfficialAccountPush, content: string) =>
    renderTextReply({ toUser: push.fromUser, fromUser: push.toUser, createTime: Math.floor(deps.clock() / 1000), content });

  /** The passive reply's XML for a push, or null for `success`. */
  const answer = async (push: OfficialAccountPush, log: FastifyBaseLogger, oneUse: OneUseKey | null = null): Promise<string | null> => {
    const action = pushAction(push, deps.clock(), deps.menu);
    switch (action.kind) {
      case 'ignore':
        log.info({ msgType: push.msgType, event: push.event }, `official account: ${action.note}; answered success`);
        return null;
      case 'forget':
        claimFor(oneUse);
        deps.forget(action.openId);
        log.info('official account: a follower left; their channel identity is anonymised');
        return null;
      case 'credits':
        claimFor(oneUse);
        deps.grantCredits(action.openId, action.templateIds);
        return null;
      case 'say':
        return textReply(push, deps.render(action.template));
      case 'message':
        break;
    }
    const message = oneUse ? { ...action.message, oneUse } : action.message;
    const messageId = message.messageId ?? '';
    let duplicate = false;
    // The rows that record this turn's replies as sent with the answer (none for a re-delivery).
    let sentReplyIds: readonly number[] = [];
    const settle = (answered: string | null, later: string[]) => deps.settle({ openId: push.fromUser, messageId, sentReplyIds, answered, later });
    budget ??= createReplyBudget(deps.replyBudgetMs);
    const outcome = await budget.withinBudget(
      messageId,
      async () => {
        const result = await deps.respond(message);
        duplicate = result.duplicate;
        sentReplyIds = result.sentReplyIds ?? [];
        return result.replies.map((r) => r.text);
      },
      // Too late for the answer: every reply goes later.
      (texts) => settle(null, texts),
      (error) => log.error({ err: error }, 'official account: a late reply could not be queued'),
    );
    if (outcome.kind === 'busy') return null;
    if (outcome.kind === 'late') {
      log.warn(
        { budgetMs: deps.replyBudgetMs },
        'official account: reply not ready within the budget; answered success, it follows by the customer-service API',
      );
      await deps.lateMarks?.mark(messageId);
      return null;
    }
    // A re-delivery of a push another process answered late: its reply went by the customer-service API.
    if (duplicate && deps.lateMarks && (await deps.lateMarks.has(messageId))) return null;
    const { text, rest } = fitPassiveReply(outcome.texts);
    // Only one passive reply is allowed: the rest follows by the customer-service API.
    if (rest)
      await settle(text || null, [rest]).catch((error: unknown) => log.error({ err: error }, 'official account: the rest of a long reply could not be queued'));
    return text ? textReply(push, text) : null;
  };
  const readPush = (xml: string) => {
    const parsed = parsePush(xml);
    if (!parsed.ok) throw new AppError('invalid_request', parsed.reason);
    return parsed.push;
  };

  void app.register(async (scope) => {
    if (!configured) answerAsUnknownRoute(scope);
    const routes = scope.withTypeProvider<ZodTypeProvider>();
    // WeChat posts text/xml; the body limit of the server applies to it like to any other body.
    scope.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

    routes.get(
      OFFICIAL_ACCOUNT_PATH,
      route("WeChat's URL check of the Official Account's server (signed; safe mode: encrypted echostr)"),
      async (request, reply) => {
        const q = request.query;
        const text = (body: string) => reply.type('text/plain; charset=utf-8').send(body);
        if (q.msg_signature === undefined) {
          checkPlain(q, request.log);
          return text(q.echostr ?? '');
        }
        // Safe-mode URL check: the echostr is encrypted and signed by msg_signature; answer it decrypted.
        if (!deps.crypto) {
          request.log.error('official account: encrypted URL check but WECHAT_OA_ENCODING_AES_KEY is not set');
          throw new AppError('invalid_signature', 'Safe mode is not configured on this server.');
        }
        const echostr = q.echostr ?? '';
        checkEncrypted(q, echostr, request.log);
        return text(decrypt(deps.crypto, echostr, request.log));
      },
    );

    routes.post(
      OFFICIAL_ACCOUNT_PATH,
      route("The Official Account's pushes (text/xml; plain, compatible or safe mode), answered with one passive reply"),
      async (request, reply) => {
        const q = request.query;
        const success = () => reply.type('text/plain; charset=utf-8').send('success');
        const xml = (body: string) => reply.type('application/xml; charset=utf-8').send(body);
        const encrypted = q.encrypt_type !== undefined && q.encrypt_type !== 'raw';
        if (!encrypted) {
          checkPlain(q, request.log);
          if (typeof request.body !== 'string') throw new AppError('invalid_request', 'Send the push as text/xml.');
          // Plain mode: the signature does not cover the body, so it may serve this body only.
          const answered = await answer(readPush(request.body), request.log, oneUseKeyOf(q, request.body)).catch((error: unknown) => {
            // Refused by claimFor or by the inbound handler (which claims a message's key with the message).
            if (isAppError(error) && error.code === 'invalid_signature')
              request.log.warn({ kind: 'signature' }, 'official account: a used signature came back with another body; refused');
            throw error;
          });
          return answered === null ? success() : xml(answered);
        }
        if (q.encrypt_type !== 'aes' || !deps.crypto) {
          checkPlain(q, request.log);
          // Nothing can be read; say so loudly, and let WeChat stop retrying.
          request.log.error(
            { encryptType: q.encrypt_type },
            deps.crypto
              ? 'official account: unknown encrypt_type; answered success'
              : 'official account: encrypted push but WECHAT_OA_ENCODING_AES_KEY is not set; set it or switch the account to plain mode',
          );
          return success();
        }
        // Safe and compatible mode: only the encrypted copy counts.
        if (typeof request.body !== 'string') throw new AppError('invalid_request', 'Send the push as text/xml.');
        const envelope = parseEncryptedEnvelope(request.body);
        if (!envelope.ok) {
          if (q.signature !== undefined) checkPlain(q, request.log);
          throw new AppError('invalid_request', envelope.reason);
        }
        checkEncrypted(q, envelope.encrypt, request.log);
        const answered = await answer(readPush(decrypt(deps.crypto, envelope.encrypt, request.log)), request.log);
        if (answered === null) return success();
        const encrypt = deps.crypto.encrypt(answered, (deps.randomBytes ?? randomBytes)(16));
        const timestamp = String(Math.floor(deps.clock() / 1000));
        const nonce = String(randomInt(100_000_000, 1_000_000_000));
        return xml(renderEncryptedReply({ encrypt, msgSignature: computeMsgSignature(deps.token, timestamp, nonce, encrypt), timestamp, nonce }));
      },
    );
  });
}
