import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { personView } from '../../app/flow-context-builder.ts';
import type { Caller, MiniProgramEnv } from '../../app/mini-program/mini-program-env.ts';
import { complainFromForm, contactAgentFromForm, decideEntrustment, entrustmentOfErrand, withdrawFromForm } from '../../app/mini-program/errand-decisions.ts';
import { linkByVerifiedPhone } from '../../app/mini-program/phone-link.ts';
import { fileErrandFromForm, previewEntrustment, rateFromForm, registerResident } from '../../app/mini-program/resident-forms.ts';
import { myErrand, myErrands, progressOf } from '../../app/mini-program/resident-reads.ts';
import { callerOfToken, endSession, MINI_PROGRAM_CHANNEL, startSession, type AuthenticatedCaller } from '../../app/mini-program/sessions.ts';
import { verifiedPhoneOf } from '../../db/mini-program-repository.ts';
import type { PersonRow } from '../../db/people-repository.ts';
import { maskPhone } from '../../domain/masking.ts';
import { grantSubscribeCredits, subscribeCreditsOf } from '../../db/subscribe-credits-repository.ts';
import { AppError, isAppError } from '../../errors.ts';
import { zodRoute, type ZodRouteSpec } from '../../http/zod-route.ts';
import type { CodeExchange } from './jscode2session.ts';
import * as s from './mini-program-schemas.ts';
import type { PhoneNumberLookup } from './phone-number.ts';
import type { ProgressLimiter } from './progress-limiter.ts';

/**
 * The mini-program API under /api/mp: log in with wx.login()'s code, register, file an errand from a
 * form (entrustment confirmed, one-time notice, receipt — the chat's rules), read one's own errands,
 * rate, record subscribe-message accepts, link to the person the county knows by WeChat's verified
 * phone number, and the anonymous progress lookup. The use cases live in
 * src/app/mini-program; this file only translates HTTP.
 */

export interface MiniProgramRouteDeps {
  env: MiniProgramEnv;
  exchange: CodeExchange;
  /** WeChat's verified phone number of a getPhoneNumber code. */
  phone: PhoneNumberLookup;
  sessionMs: number;
  limiter: ProgressLimiter;
  clock: () => number;
}

const TAGS = ['mini-program'];
const SESSION = [{ miniProgramSession: [] }];
const TOKEN_RE = /^Bearer\s+([A-Za-z0-9_-]{20,100})\s*$/i;

export function registerMiniProgramRoutes(app: FastifyInstance, deps: MiniProgramRouteDeps): void {
  const { env, clock } = deps;
  const callers = new WeakMap<FastifyRequest, AuthenticatedCaller>();

  /** onRequest: an unknown or expired token is refused before the body is even read. */
  const requireSession = async (request: FastifyRequest) => {
    const token = TOKEN_RE.exec(request.headers.authorization ?? '')?.[1];
    const caller = token ? callerOfToken(env, token, clock()) : null;
    if (!caller) throw new AppError('session_required');
    callers.set(request, caller);
  };
  const callerOf = (request: FastifyRequest): AuthenticatedCaller => {
    const caller = callers.get(request);
    if (!caller) throw new AppError('session_required');
    return caller;
  };
  const personOut = (person: PersonRow | null) => (person ? personView(person, env.context().directory) : null);
  const me = (caller: Caller) => {
    const verified = caller.person ? null : verifiedPhoneOf(env.database, caller.identity.id);
    return { registered: caller.person !== null, person: personOut(caller.person), verifiedPhone: verified ? maskPhone(verified) : null };
  };
  const authed = (spec: Omit<ZodRouteSpec, 'tags' | 'security'>) => ({ ...zodRoute({ ...spec, tags: TAGS, security: SESSION }), onRequest: requireSession });

  app.post(
    '/api/mp/login',
    zodRoute({
      summary: 'Log in with the code of wx.login()',
      description: 'jscode2session on the server; answers our own session token. 400 for an invalid or used code, 503 when WeChat is busy (retry).',
      tags: TAGS,
      body: s.loginBody,
      response: { 200: s.loginAnswer, 400: 'Invalid or already used code', 503: 'WeChat busy or unreachable; retry' },
    }),
    async (request, reply) => {
      const { code } = request.body as z.output<typeof s.loginBody>;
      const wechat = await deps.exchange(code).catch((error: unknown) => {
        setRetryAfter(reply, error);
        throw error;
      });
      const started = startSession(env, wechat, clock(), deps.sessionMs);
      return { token: started.token, expiresAt: new Date(started.expiresAt).toISOString(), ...me(started.caller) };
    },
  );

  app.delete('/api/mp/session', authed({ summary: 'Log out (the token stops working)', response: { 204: 'Logged out' } }), async (request, reply) => {
    endSession(env, callerOf(request).tokenHash);
    return reply.status(204).send();
  });

  app.get('/api/mp/me', authed({ summary: 'Who is logged in', response: { 200: s.meAnswer } }), async (request) => me(callerOf(request)));

  app.get(
    '/api/mp/villages',
    zodRoute({
      summary: 'The villages a resident can register in',
      tags: TAGS,
      response: { 200: z.object({ villages: z.array(z.object({ code: z.string(), name: z.string(), townshipName: z.string() })) }) },
    }),
    async () => ({ villages: env.context().directory.villages }),
  );

  app.post(
    '/api/mp/registration',
    authed({
      summary: 'Register as a resident (name, village, phone), as the chat registration does',
      body: s.registrationBody,
      response: { 201: s.meAnswer, 400: 'A field is not valid (every problem listed)', 409: 'Already registered' },
    }),
    async (request, reply) => {
      const person = registerResident(env, callerOf(request), request.body as z.output<typeof s.registrationBody>, clock());
      return reply.status(201).send({ registered: true, person: personOut(person), verifiedPhone: null });
    },
  );

  app.post(
    '/api/mp/phone',
    authed({
      summary: 'Link to the person the county already knows, by the phone number WeChat verified',
      description:
        'Send the code of <button open-type="getPhoneNumber">. When exactly one person (registered by chat, or in the roster) has that number, this user becomes that person: GET /api/mp/errands then lists their errands. When nobody has it, the number is remembered and POST /api/mp/registration uses it (no need to ask). When several people share it, nobody can tell which one: 409, the village agent links the user. 400 for an invalid or used code, 503 when WeChat is busy (retry).',
      body: s.phoneBody,
      response: {
        200: s.phoneAnswer,
        400: 'Invalid or already used code',
        403: "Not a mainland number, or WeChat's answer was not for this mini-program",
        409: 'Already registered, or several people have this phone number',
        503: 'WeChat busy or unreachable; retry',
      },
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      if (caller.person) throw new AppError('already_registered', 'This WeChat user is already registered; the phone number is not needed.');
      const { code } = request.body as z.output<typeof s.phoneBody>;
      const verified = await deps.phone(code).catch((error: unknown) => {
        setRetryAfter(reply, error);
        throw error;
      });
      const link = linkByVerifiedPhone(env, caller, verified, clock());
      return link.outcome === 'linked'
        ? { outcome: 'linked', registered: true, person: link.person }
        : { outcome: 'remembered', registered: false, maskedPhone: link.maskedPhone };
    },
  );

  app.get(
    '/api/mp/entrustment',
    authed({
      summary: 'The entrustment text, the privacy question and the one-time notice of materials for an item',
      description: 'Show these before the resident confirms; POST /api/mp/errands must carry the version shown.',
      querystring: s.entrustmentQuery,
      response: { 200: s.previewAnswer, 400: 'Unknown item or a bad beneficiary', 409: 'Not registered' },
    }),
    async (request) => {
      const q = request.query as z.output<typeof s.entrustmentQuery>;
      const beneficiary = q.forWhom === 'family' ? { name: q.beneficiaryName ?? '', relation: q.relation ?? '' } : undefined;
      return previewEntrustment(env, callerOf(request), { itemId: q.itemId, forWhom: q.forWhom, beneficiary }, clock());
    },
  );

  app.get('/api/mp/errands', authed({ summary: 'My errands, newest first', response: { 200: s.errandsAnswer } }), async (request) => ({
    errands: myErrands(env, callerOf(request), clock()),
  }));

  app.get(
    '/api/mp/errands/:receiptNo',
    authed({ summary: 'One of my errands with its timeline', params: s.receiptParams, response: { 200: s.errandDetail, 404: 'Not one of my errands' } }),
    async (request) => myErrand(env, callerOf(request), (request.params as z.output<typeof s.receiptParams>).receiptNo, clock()),
  );

  app.post(
    '/api/mp/errands',
    authed({
      summary: 'Request an errand from a form',
      description:
        'The entrustment must be confirmed explicitly (the version shown by GET /api/mp/entrustment), and the separate consent given for privacy-sensitive items. Answers the receipt number and the one-time notice of materials. Send an Idempotency-Key header: a retry with the same key gets the same answer and files nothing more.',
      headers: s.idempotencyHeaders,
      body: s.errandBody,
      response: {
        201: s.filedAnswer,
        400: 'The form is not valid (every problem listed)',
        409: 'Not registered',
        422: 'Idempotency-Key reused for another form',
      },
    }),
    async (request, reply) => {
      const form = request.body as z.output<typeof s.errandBody>;
      const key = String(request.headers['idempotency-key']);
      const requestHash = createHash('sha256').update(JSON.stringify(form)).digest('hex');
      const filed = fileErrandFromForm(env, callerOf(request), form, { key, requestHash }, clock());
      if (filed.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(filed.errand);
    },
  );

  app.post(
    '/api/mp/errands/:receiptNo/rating',
    authed({
      summary: 'Rate one of my errands (好差评)',
      description:
        'Only while the errand waits for a rating (fed back, or a rectification to rate). `score` runs like stars: 5 非常满意 … 1 非常不满意. 2 and 1 are bad reviews and need a reason; a work error is handled again at once.',
      params: s.receiptParams,
      body: s.ratingBody,
      response: {
        200: s.ratingAnswer,
        400: 'Score out of range, or a bad review without a reason',
        403: 'Not waiting for a rating',
        404: 'Not one of my errands',
      },
    }),
    async (request) =>
      rateFromForm(
        env,
        callerOf(request),
        (request.params as z.output<typeof s.receiptParams>).receiptNo,
        request.body as z.output<typeof s.ratingBody>,
        clock(),
      ),
  );

  const receiptOf = (request: FastifyRequest) => (request.params as z.output<typeof s.receiptParams>).receiptNo;
  app.post(
    '/api/mp/errands/:receiptNo/withdrawal',
    authed({
      summary: 'Withdraw one of my requests',
      description: 'While the lifecycle allows it (before the materials are delivered to the centre); the agent and the agents’ group are told.',
      params: s.receiptParams,
      response: { 200: s.withdrawalAnswer, 403: 'Too late to withdraw', 404: 'Not one of my errands' },
    }),
    async (request) => withdrawFromForm(env, callerOf(request), receiptOf(request), clock()),
  );

  app.get(
    '/api/mp/errands/:receiptNo/entrustment',
    authed({
      summary: 'The entrustment of an errand filed for me (by my village agent), to read before confirming it',
      params: s.receiptParams,
      response: { 200: s.errandEntrustmentAnswer, 404: 'Not one of my errands' },
    }),
    async (request) => entrustmentOfErrand(env, callerOf(request), receiptOf(request), clock()),
  );

  app.post(
    '/api/mp/errands/:receiptNo/entrustment',
    authed({
      summary: 'Confirm or decline the entrustment of an errand filed for me',
      description:
        'Confirm with the version shown (and the separate consent for privacy-sensitive items); declining withdraws the errand. Only while the entrustment is pending.',
      params: s.receiptParams,
      body: s.entrustmentDecisionBody,
      response: {
        200: s.entrustmentDecisionAnswer,
        400: 'Another version of the text',
        403: 'Decided already, or consent missing',
        404: 'Not one of my errands',
      },
    }),
    async (request) => decideEntrustment(env, callerOf(request), receiptOf(request), request.body as z.output<typeof s.entrustmentDecisionBody>, clock()),
  );

  app.post(
    '/api/mp/complaints',
    authed({
      summary: 'Complain (投诉): shirking, added materials, overdue, a fee asked, other',
      description: 'Recorded with its time limit, and the supervisors told at once, as in the chat; answers the county hotline too.',
      body: s.complaintBody,
      response: { 201: s.complaintAnswer, 400: 'Type or text missing', 404: 'The receipt number is not one of my errands' },
    }),
    async (request, reply) => reply.status(201).send(complainFromForm(env, callerOf(request), request.body as z.output<typeof s.complaintBody>, clock())),
  );

  app.post(
    '/api/mp/agent-contact',
    authed({
      summary: 'Ask my village agent to get in touch (找代办员)',
      body: s.contactAgentBody,
      response: { 200: s.contactAgentAnswer },
    }),
    async (request) => contactAgentFromForm(env, callerOf(request), (request.body as z.output<typeof s.contactAgentBody>).message ?? null, clock()),
  );

  app.get('/api/mp/subscriptions', authed({ summary: 'My subscribe-message credits per template', response: { 200: s.creditsAnswer } }), async (request) => ({
    credits: subscribeCreditsOf(env.database, MINI_PROGRAM_CHANNEL, callerOf(request).openId),
  }));

  app.post(
    '/api/mp/subscriptions',
    authed({
      summary: 'Record what wx.requestSubscribeMessage answered',
      description: 'Each "accept" allows one more notification of that template; reject, ban and filter grant nothing.',
      body: s.subscriptionsBody,
      response: { 200: s.creditsAnswer },
    }),
    async (request) => {
      const caller = callerOf(request);
      const { results } = request.body as z.output<typeof s.subscriptionsBody>;
      const now = clock();
      env.database.write(() => {
        for (const [templateId, answer] of Object.entries(results)) {
          if (answer === 'accept') grantSubscribeCredits(env.database, { app: MINI_PROGRAM_CHANNEL, openId: caller.openId, templateId }, 1, now);
        }
      });
      return { credits: subscribeCreditsOf(env.database, MINI_PROGRAM_CHANNEL, caller.openId) };
    },
  );

  app.get(
    '/api/mp/progress',
    zodRoute({
      summary: 'Progress by receipt number and the last four digits of the phone, or the receipt’s tracking code (no login)',
      description:
        'Status and a coarse timeline, names masked. A wrong combination is 404 whichever part is wrong; every lookup is counted before it is answered: per IP address, wrong guesses per address, per receipt and address, and (more slowly) per receipt from everywhere (429 with Retry-After); a right answer gives its guess back.',
      tags: TAGS,
      querystring: s.progressQuery,
      response: { 200: s.progressAnswer, 404: 'No such errand for this phone', 429: 'Too many lookups' },
    }),
    async (request, reply) => {
      const q = request.query as z.output<typeof s.progressQuery>;
      try {
        const attempt = await deps.limiter.admit(request.ip, q.receipt);
        const progress = progressOf(env, q.receipt, q.code !== undefined ? { code: q.code } : { phoneLast4: q.phoneLast4 ?? '' }, clock());
        await attempt.settle(progress !== null);
        if (progress) return progress;
        throw new AppError('errand_not_found', 'No errand with this receipt number and phone.');
      } catch (error) {
        setRetryAfter(reply, error);
        throw error;
      }
    },
  );
}

/** WeChat busy: a couple of seconds is usually enough. */
const WECHAT_BUSY_RETRY_SECONDS = 2;

function setRetryAfter(reply: FastifyReply, error: unknown): void {
  if (!isAppError(error)) return;
  if (error.code === 'wechat_busy') reply.header('retry-after', String(WECHAT_BUSY_RETRY_SECONDS));
  if (error.code !== 'too_many_requests') return;
  const seconds = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  if (seconds) reply.header('retry-after', String(seconds));
}
