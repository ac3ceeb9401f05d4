import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { InboundHandler } from '../../app/inbound-handler.ts';
import { AppError } from '../../errors.ts';
import { toInboundMessage } from './inbound-conversion.ts';
import { fitPassiveReply, renderTextReply } from './passive-reply.ts';
import { checkSignature, type SignedQuery } from './signature.ts';
import { parsePush } from './xml-message.ts';

/**
 * GET and POST /wechat/official-account — the Official Account's server push, plain mode, text
 * messages. GET answers WeChat's URL check; POST turns a text push into the one inbound message and
 * answers with one passive XML reply, or `success` when there is nothing to say or the push is of a
 * kind this slice does not handle yet (images, voice, events…).
 */

export const OFFICIAL_ACCOUNT_PATH = '/wechat/official-account';

export interface OfficialAccountDeps {
  token: string;
  inbound: InboundHandler;
  clock: () => number;
}

const signedQuery = z.object({
  signature: z.string().max(100).default(''),
  timestamp: z.string().max(20).default(''),
  nonce: z.string().max(100).default(''),
  echostr: z.string().max(1000).optional(),
  encrypt_type: z.string().max(20).optional(),
});

export function registerOfficialAccountRoutes(app: FastifyInstance, deps: OfficialAccountDeps): void {
  const verified = (query: unknown, log: FastifyInstance['log']) => {
    const q = signedQuery.safeParse(query ?? {});
    if (!q.success) throw new AppError('invalid_signature');
    const check = checkSignature(deps.token, q.data satisfies SignedQuery, deps.clock());
    if (!check.ok) {
      log.warn({ reason: check.reason }, 'official account: request refused');
      throw new AppError('invalid_signature', check.reason === 'stale_timestamp' ? 'The timestamp is too far from the server clock.' : undefined);
    }
    return q.data;
  };

  void app.register(async (scope) => {
    // WeChat posts text/xml; the body limit of the server applies to it like to any other body.
    scope.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

    scope.get(OFFICIAL_ACCOUNT_PATH, async (request, reply) => {
      const q = verified(request.query, request.log);
      return reply.type('text/plain; charset=utf-8').send(q.echostr ?? '');
    });

    scope.post(OFFICIAL_ACCOUNT_PATH, async (request, reply) => {
      const q = verified(request.query, request.log);
      const success = () => reply.type('text/plain; charset=utf-8').send('success');
      if (q.encrypt_type !== undefined && q.encrypt_type !== 'raw') {
        // Safe mode comes in a later slice: nothing can be read; say so loudly, let WeChat stop retrying.
        request.log.error({ encryptType: q.encrypt_type }, 'official account: safe (encrypted) mode is not supported yet; switch the account to plain mode');
        return success();
      }
      if (typeof request.body !== 'string') throw new AppError('invalid_request', 'Send the push as text/xml.');
      const parsed = parsePush(request.body);
      if (!parsed.ok) throw new AppError('invalid_request', parsed.reason);
      const push = parsed.push;
      if (push.msgType !== 'text') {
        request.log.info({ msgType: push.msgType, event: push.event }, 'official account: push kind not handled yet; answered success');
        return success();
      }
      const result = deps.inbound.handle(toInboundMessage(push, deps.clock()));
      const { text, rest } = fitPassiveReply(result.replies.map((r) => r.text));
      // Only one passive reply is allowed; the customer-service API (a later slice) will carry the rest.
      if (rest) request.log.warn({ droppedBytes: Buffer.byteLength(rest, 'utf8') }, 'official account: reply longer than one passive message; the rest is not sent yet');
      if (!text) return success();
      const xml = renderTextReply({ toUser: push.fromUser, fromUser: push.toUser, createTime: Math.floor(deps.clock() / 1000), content: text });
      return reply.type('application/xml; charset=utf-8').send(xml);
    });
  });
}
