import { randomBytes, randomInt } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { InboundHandler } from '../../app/inbound-handler.ts';
import { AppError } from '../../errors.ts';
import { toInboundMessage } from './inbound-conversion.ts';
import { computeMsgSignature, type MessageCrypto } from './message-crypto.ts';
import { fitPassiveReply, renderEncryptedReply, renderTextReply } from './passive-reply.ts';
import { checkMsgSignature, checkSignature, type SignatureCheck } from './signature.ts';
import { parseEncryptedEnvelope, parsePush, type OfficialAccountPush } from './xml-message.ts';

/**
 * GET and POST /wechat/official-account — the Official Account's server push, text messages, in plain,
 * compatible and safe (AES) mode. GET answers WeChat's URL check (in safe mode the echostr comes
 * encrypted under `msg_signature` and is answered decrypted); POST turns a text push into the one
 * inbound message and answers with one passive XML reply — encrypted when the push was — or `success`
 * when there is nothing to say or the push is of a kind this slice does not handle yet.
 */

export const OFFICIAL_ACCOUNT_PATH = '/wechat/official-account';

export interface OfficialAccountDeps {
  token: string;
  inbound: InboundHandler;
  clock: () => number;
  /** Safe and compatible mode; without it an encrypted push is refused (logged, answered `success`). */
  crypto?: MessageCrypto | undefined;
  /** Randomness of an encrypted reply (16 bytes); tests may pin it. */
  randomBytes?: (size: number) => Uint8Array;
}

const signedQuery = z.object({
  signature: z.string().max(100).optional(),
  msg_signature: z.string().max(100).optional(),
  timestamp: z.string().max(20).default(''),
  nonce: z.string().max(100).default(''),
  echostr: z.string().max(1000).optional(),
  encrypt_type: z.string().max(20).optional(),
});
type Query = z.infer<typeof signedQuery>;

export function registerOfficialAccountRoutes(app: FastifyInstance, deps: OfficialAccountDeps): void {
  const random = deps.randomBytes ?? randomBytes;

  const refuseUnless = (check: SignatureCheck, log: FastifyBaseLogger, kind: string) => {
    if (check.ok) return;
    log.warn({ reason: check.reason, kind }, 'official account: request refused');
    throw new AppError('invalid_signature', check.reason === 'stale_timestamp' ? 'The timestamp is too far from the server clock.' : undefined);
  };
  const readQuery = (query: unknown): Query => {
    const q = signedQuery.safeParse(query ?? {});
    if (!q.success) throw new AppError('invalid_signature');
    return q.data;
  };
  const checkPlain = (q: Query, log: FastifyBaseLogger) =>
    refuseUnless(checkSignature(deps.token, { signature: q.signature ?? '', timestamp: q.timestamp, nonce: q.nonce }, deps.clock()), log, 'signature');
  const checkEncrypted = (q: Query, encrypt: string, log: FastifyBaseLogger) => {
    refuseUnless(checkMsgSignature(deps.token, { msgSignature: q.msg_signature ?? '', timestamp: q.timestamp, nonce: q.nonce }, encrypt, deps.clock()), log, 'msg_signature');
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

  /** The passive reply's XML for a push, or null for `success`. */
  const answer = (push: OfficialAccountPush, log: FastifyBaseLogger): string | null => {
    if (push.msgType !== 'text') {
      log.info({ msgType: push.msgType, event: push.event }, 'official account: push kind not handled yet; answered success');
      return null;
    }
    const result = deps.inbound.handle(toInboundMessage(push, deps.clock()));
    const { text, rest } = fitPassiveReply(result.replies.map((r) => r.text));
    // Only one passive reply is allowed; the customer-service API (a later slice) will carry the rest.
    if (rest) log.warn({ droppedBytes: Buffer.byteLength(rest, 'utf8') }, 'official account: reply longer than one passive message; the rest is not sent yet');
    if (!text) return null;
    return renderTextReply({ toUser: push.fromUser, fromUser: push.toUser, createTime: Math.floor(deps.clock() / 1000), content: text });
  };
  const readPush = (xml: string) => {
    const parsed = parsePush(xml);
    if (!parsed.ok) throw new AppError('invalid_request', parsed.reason);
    return parsed.push;
  };

  void app.register(async (scope) => {
    // WeChat posts text/xml; the body limit of the server applies to it like to any other body.
    scope.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

    scope.get(OFFICIAL_ACCOUNT_PATH, async (request, reply) => {
      const q = readQuery(request.query);
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
    });

    scope.post(OFFICIAL_ACCOUNT_PATH, async (request, reply) => {
      const q = readQuery(request.query);
      const success = () => reply.type('text/plain; charset=utf-8').send('success');
      const xml = (body: string) => reply.type('application/xml; charset=utf-8').send(body);
      const encrypted = q.encrypt_type !== undefined && q.encrypt_type !== 'raw';
      if (!encrypted) {
        checkPlain(q, request.log);
        if (typeof request.body !== 'string') throw new AppError('invalid_request', 'Send the push as text/xml.');
        const answered = answer(readPush(request.body), request.log);
        return answered === null ? success() : xml(answered);
      }
      if (q.encrypt_type !== 'aes' || !deps.crypto) {
        checkPlain(q, request.log);
        // Nothing can be read; say so loudly, and let WeChat stop retrying.
        request.log.error(
          { encryptType: q.encrypt_type },
          deps.crypto ? 'official account: unknown encrypt_type; answered success' : 'official account: encrypted push but WECHAT_OA_ENCODING_AES_KEY is not set; set it or switch the account to plain mode',
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
      const answered = answer(readPush(decrypt(deps.crypto, envelope.encrypt, request.log)), request.log);
      if (answered === null) return success();
      const encrypt = deps.crypto.encrypt(answered, random(16));
      const timestamp = String(Math.floor(deps.clock() / 1000));
      const nonce = String(randomInt(100_000_000, 1_000_000_000));
      return xml(renderEncryptedReply({ encrypt, msgSignature: computeMsgSignature(deps.token, timestamp, nonce, encrypt), timestamp, nonce }));
    });
  });
}
