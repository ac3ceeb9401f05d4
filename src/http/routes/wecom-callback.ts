import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { answerAsUnknownRoute, notConfigured } from '../unconfigured-channel.ts';
import { checkMsgSignature } from '../../channels/wechat/signature.ts';
import { parseEncryptedEnvelope } from '../../channels/wechat/xml-envelope.ts';
import { WECOM_PATH, type WeComCallbackDeps } from '../../channels/wecom/callback-deps.ts';
import { parseCallback, toInboundMessage } from '../../channels/wecom/callback-message.ts';

/**
 * GET and POST /wechat/wecom — the WeCom app's callback (接收消息), always encrypted (AES, CorpID
 * trailer), signed by `msg_signature` over the token, timestamp, nonce and the encrypted text.
 *
 * - GET is the URL check: the encrypted `echostr` is answered decrypted, as plain text (no IO: well
 *   within WeCom's one second).
 * - POST: a member's text goes through the same inbound handler as every channel, so an agent sends
 *   `接单 …`, `待办` and the rest from WeCom. The callback is answered at once with an empty body, and
 *   the replies go out through the app message API (the outbox): a passive reply could carry only one
 *   message of at most 2,048 bytes, would be lost with the connection, and would have to beat WeCom's
 *   five seconds; the outbox splits, orders, rate-limits (30 a minute per member) and retries.
 * - Events, other message types and messages for another app are answered empty and logged.
 * - A bad signature or stale timestamp (403), a body that is not one well-formed `<xml>` envelope, a
 *   DOCTYPE or entity, a message that does not decrypt or ends with another CorpID, non-UTF-8 text
 *   (400) and bodies over 64 KB (413) are refused before anything is handled.
 */

const signedQuery = z.object({
  msg_signature: z.string().max(100).default(''),
  timestamp: z.string().max(20).default(''),
  nonce: z.string().max(100).default(''),
  echostr: z.string().max(1000).optional(),
});

/** Documented in /docs; a query that is not a signed query is refused like a bad signature. */
const route = (summary: string) => ({
  schema: { summary, tags: ['wechat'], querystring: signedQuery },
  schemaErrorFormatter: () => new AppError('invalid_signature'),
});

/** The callback; without the WeCom app's callback configured (null) it is declared for /docs and answers 404. */
export function registerWeComRoutes(app: FastifyInstance, configured: WeComCallbackDeps | null): void {
  const deps = configured ?? notConfigured<WeComCallbackDeps>("the WeCom app's callback");
  const checkSigned = (q: z.infer<typeof signedQuery>, encrypt: string, log: FastifyBaseLogger) => {
    const check = checkMsgSignature(deps.token, { msgSignature: q.msg_signature, timestamp: q.timestamp, nonce: q.nonce }, encrypt, deps.clock());
    if (check.ok) return;
    log.warn({ reason: check.reason }, 'wecom: callback refused');
    throw new AppError('invalid_signature', check.reason === 'stale_timestamp' ? 'The timestamp is too far from the server clock.' : undefined);
  };
  const decrypt = (encrypt: string, log: FastifyBaseLogger) => {
    const d = deps.crypto.decrypt(encrypt);
    if (!d.ok) {
      log.warn({ reason: d.reason }, 'wecom: encrypted callback refused');
      throw new AppError('invalid_request', 'The encrypted message could not be decrypted for this CorpID.');
    }
    if (d.key === 'previous') log.info('wecom: callback decrypted with the previous EncodingAESKey');
    return d.message;
  };

  void app.register(async (scope) => {
    if (!configured) answerAsUnknownRoute(scope);
    const routes = scope.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

    routes.get(WECOM_PATH, route("WeCom's URL check of the app's callback (encrypted echostr, msg_signature)"), async (request, reply) => {
      const q = request.query;
      // Base64 has no spaces: a '+' WeCom left unencoded in the URL was read as one.
      const echostr = (q.echostr ?? '').replaceAll(' ', '+');
      checkSigned(q, echostr, request.log);
      return reply.type('text/plain; charset=utf-8').send(decrypt(echostr, request.log));
    });

    routes.post(WECOM_PATH, route("The WeCom app's callback (text/xml, encrypted): members' messages to the bot"), async (request, reply) => {
      const q = request.query;
      const done = () => reply.type('text/plain; charset=utf-8').send('');
      if (typeof request.body !== 'string') throw new AppError('invalid_request', 'Send the callback as text/xml.');
      const envelope = parseEncryptedEnvelope(request.body);
      if (!envelope.ok) {
        request.log.warn({ reason: envelope.reason }, 'wecom: callback body refused');
        throw new AppError('invalid_request', envelope.reason);
      }
      checkSigned(q, envelope.encrypt, request.log);
      const parsed = parseCallback(decrypt(envelope.encrypt, request.log));
      if (!parsed.ok) {
        request.log.warn({ reason: parsed.reason }, 'wecom: decrypted callback refused');
        throw new AppError('invalid_request', parsed.reason);
      }
      const callback = parsed.callback;
      if (callback.corpId !== deps.corpId || (callback.agentId !== null && callback.agentId !== deps.agentId)) {
        request.log.warn({ agentId: callback.agentId }, 'wecom: callback for another CorpID or app; ignored');
        return done();
      }
      if (callback.msgType !== 'text') {
        request.log.info({ msgType: callback.msgType, event: callback.event }, 'wecom: callback kind not handled; answered empty');
        return done();
      }
      await deps.inbound.submit(toInboundMessage(callback, deps.clock()));
      return done();
    });
  });
}
