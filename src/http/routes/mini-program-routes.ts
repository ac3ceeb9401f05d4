import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
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
import { subscribeCreditsOf } from '../../db/subscribe-credits-repository.ts';
import { acceptSubscriptions } from '../../app/subscribe-credits.ts';
import { AppError, isAppError } from '../../errors.ts';
import { answerAsUnknownRoute, notConfigured } from '../unconfigured-channel.ts';
import { errorAnswer, invalidInput, noBody } from '../zod-validation.ts';
import type { CodeExchange } from '../../channels/mini-program/jscode2session.ts';
import * as s from './mini-program-schemas.ts';
import type { PhoneNumberLookup } from '../../channels/mini-program/phone-number.ts';
import type { ProgressLimiter } from '../../channels/mini-program/progress-limiter.ts';

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

/** A route's documentation and input schemas; `response` maps a status to its answer's schema, or just a description. */
interface RouteSpec {
  summary: string;
  description?: string;
  body?: z.ZodType;
  querystring?: z.ZodType;
  params?: z.ZodType;
  /** Checked, not replaced: loose objects keep the other headers. */
  headers?: z.ZodType;
  response?: Record<number, z.ZodType | string>;
}

/** The mini-program API's wording of bad input: `query.receipt: …`, `params.receiptNo: …`. */
const badInput = invalidInput({ namePart: true });

function answers(response: Record<number, z.ZodType | string>): Record<number, z.ZodType> {
  return Object.fromEntries(
    Object.entries(response).map(([status, r]) => [
      status,
      typeof r !== 'string' ? (r.description ? r : r.meta({ description: 'OK' })) : Number(status) >= 400 ? errorAnswer(r) : noBody(r),
    ]),
  );
}

/** The route options of a documented mini-program route (no login). */
function open<S extends RouteSpec>(spec: S) {
  const { response, ...rest } = spec;
  return { schema: { ...rest, tags: TAGS, ...(response ? { response: answers(response) } : {}) }, schemaErrorFormatter: badInput };
}

/** The mini-program API; without the mini-program configured (null) it is declared for /docs and answers 404. */
export function registerMiniProgramRoutes(app: FastifyInstance, configured: MiniProgramRouteDeps | null): void {
  void app.register(async (scope) => {
    if (!configured) answerAsUnknownRoute(scope);
    declareMiniProgramRoutes(scope, configured ?? notConfigured<MiniProgramRouteDeps>('the mini-program'));
  });
}

function declareMiniProgramRoutes(app: FastifyInstance, deps: MiniProgramRouteDeps): void {
  const callers = new WeakMap<FastifyRequest, AuthenticatedCaller>();

  /** onRequest: an unknown or expired token is refused before the body is even read. */
  const requireSession = async (request: FastifyRequest) => {
    const token = TOKEN_RE.exec(request.headers.authorization ?? '')?.[1];
    const caller = token ? callerOfToken(deps.env, token, deps.clock()) : null;
    if (!caller) throw new AppError('session_required');
    callers.set(request, caller);
  };
  const callerOf = (request: FastifyRequest): AuthenticatedCaller => {
    const caller = callers.get(request);
    if (!caller) throw new AppError('session_required');
    return caller;
  };
  const personOut = (person: PersonRow | null) => (person ? personView(person, deps.env.context().directory) : null);
  const me = (caller: Caller) => {
    const verified = caller.person ? null : verifiedPhoneOf(deps.env.database, caller.identity.id);
    return { registered: caller.person !== null, person: personOut(caller.person), verifiedPhone: verified ? maskPhone(verified) : null };
  };
  /** The route options of a route for a logged-in user: the session is checked before the body is read. */
  const authed = <S extends RouteSpec>(spec: S) => {
    const options = open(spec);
    return { ...options, schema: { ...options.schema, security: SESSION }, onRequest: requireSession };
  };
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/api/mp/login',
    open({
      summary: 'Log in with the code of wx.login()',
      description: 'jscode2session on the server; answers our own session token. 400 for an invalid or used code, 503 when WeChat is busy (retry).',
      body: s.loginBody,
      response: { 200: s.loginAnswer, 400: 'Invalid or already used code', 503: 'WeChat busy or unreachable; retry' },
    }),
    async (request, reply) => {
      const { code } = request.body;
      const wechat = await deps.exchange(code).catch((error: unknown) => {
        setRetryAfter(reply, error);
        throw error;
      });
      const started = startSession(deps.env, wechat, deps.clock(), deps.sessionMs);
      return { token: started.token, expiresAt: new Date(started.expiresAt).toISOString(), ...me(started.caller) };
    },
  );

  routes.delete('/api/mp/session', authed({ summary: 'Log out (the token stops working)', response: { 204: 'Logged out' } }), async (request, reply) => {
    endSession(deps.env, callerOf(request).tokenHash);
    return reply.status(204).send();
  });

  routes.get('/api/mp/me', authed({ summary: 'Who is logged in', response: { 200: s.meAnswer } }), async (request) => me(callerOf(request)));

  routes.get(
    '/api/mp/villages',
    open({
      summary: 'The villages a resident can register in',
      response: { 200: z.object({ villages: z.array(z.object({ code: z.string(), name: z.string(), townshipName: z.string() })) }) },
    }),
    async () => ({ villages: deps.env.context().directory.villages }),
  );

  routes.post(
    '/api/mp/registration',
    authed({
      summary: 'Register as a resident (name, village, phone), as the chat registration does',
      body: s.registrationBody,
      response: { 201: s.meAnswer, 400: 'A field is not valid (every problem listed)', 409: 'Already registered' },
    }),
    async (request, reply) => {
      const person = registerResident(deps.env, callerOf(request), request.body, deps.clock());
      return reply.status(201).send({ registered: true, person: personOut(person), verifiedPhone: null });
    },
  );

  routes.post(
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
      const { code } = request.body;
      const verified = await deps.phone(code).catch((error: unknown) => {
        setRetryAfter(reply, error);
        throw error;
      });
      const link = linkByVerifiedPhone(deps.env, caller, verified, deps.clock());
      return link.outcome === 'linked'
        ? { outcome: 'linked', registered: true, person: link.person }
        : { outcome: 'remembered', registered: false, maskedPhone: link.maskedPhone };
    },
  );

  routes.get(
    '/api/mp/entrustment',
    authed({
      summary: 'The entrustment text, the privacy question and the one-time notice of materials for an item',
      description: 'Show these before the resident confirms; POST /api/mp/errands must carry the version shown.',
      querystring: s.entrustmentQuery,
      response: { 200: s.previewAnswer, 400: 'Unknown item or a bad beneficiary', 409: 'Not registered' },
    }),
    async (request) => {
      const q = request.query;
      const beneficiary = q.forWhom === 'family' ? { name: q.beneficiaryName, relation: q.relation ?? '', ageGroup: q.ageGroup } : undefined;
      return previewEntrustment(deps.env, callerOf(request), { itemId: q.itemId, forWhom: q.forWhom, beneficiary }, deps.clock());
    },
  );

  routes.get('/api/mp/errands', authed({ summary: 'My errands, newest first', response: { 200: s.errandsAnswer } }), async (request) => ({
    errands: myErrands(deps.env, callerOf(request), deps.clock()),
  }));

  routes.get(
    '/api/mp/errands/:receiptNo',
    authed({ summary: 'One of my errands with its timeline', params: s.receiptParams, response: { 200: s.errandDetail, 404: 'Not one of my errands' } }),
    async (request) => myErrand(deps.env, callerOf(request), request.params.receiptNo, deps.clock()),
  );

  routes.post(
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
      const form = request.body;
      const key = String(request.headers['idempotency-key']);
      const requestHash = createHash('sha256').update(JSON.stringify(form)).digest('hex');
      const filed = fileErrandFromForm(deps.env, callerOf(request), form, { key, requestHash }, deps.clock());
      if (filed.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(filed.errand);
    },
  );

  routes.post(
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
    async (request) => rateFromForm(deps.env, callerOf(request), request.params.receiptNo, request.body, deps.clock()),
  );

  routes.post(
    '/api/mp/errands/:receiptNo/withdrawal',
    authed({
      summary: 'Withdraw one of my requests',
      description: 'While the lifecycle allows it (before the materials are delivered to the centre); the agent and the agents’ group are told.',
      params: s.receiptParams,
      response: { 200: s.withdrawalAnswer, 403: 'Too late to withdraw', 404: 'Not one of my errands' },
    }),
    async (request) => withdrawFromForm(deps.env, callerOf(request), request.params.receiptNo, deps.clock()),
  );

  routes.get(
    '/api/mp/errands/:receiptNo/entrustment',
    authed({
      summary: 'The entrustment of an errand filed for me (by my village agent), to read before confirming it',
      params: s.receiptParams,
      response: { 200: s.errandEntrustmentAnswer, 404: 'Not one of my errands' },
    }),
    async (request) => entrustmentOfErrand(deps.env, callerOf(request), request.params.receiptNo, deps.clock()),
  );

  routes.post(
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
    async (request) => decideEntrustment(deps.env, callerOf(request), request.params.receiptNo, request.body, deps.clock()),
  );

  routes.post(
    '/api/mp/complaints',
    authed({
      summary: 'Complain (投诉): shirking, added materials, overdue, a fee asked, other',
      description: 'Recorded with its time limit, and the supervisors told at once, as in the chat; answers the county hotline too.',
      body: s.complaintBody,
      response: { 201: s.complaintAnswer, 400: 'Type or text missing', 404: 'The receipt number is not one of my errands' },
    }),
    async (request, reply) => reply.status(201).send(complainFromForm(deps.env, callerOf(request), request.body, deps.clock())),
  );

  routes.post(
    '/api/mp/agent-contact',
    authed({
      summary: 'Ask my village agent to get in touch (找代办员)',
      body: s.contactAgentBody,
      response: { 200: s.contactAgentAnswer },
    }),
    async (request) => contactAgentFromForm(deps.env, callerOf(request), request.body.message ?? null, deps.clock()),
  );

  routes.get(
    '/api/mp/subscriptions',
    authed({ summary: 'My subscribe-message credits per template', response: { 200: s.creditsAnswer } }),
    async (request) => ({
      credits: subscribeCreditsOf(deps.env.database, MINI_PROGRAM_CHANNEL, callerOf(request).openId),
    }),
  );

  routes.post(
    '/api/mp/subscriptions',
    authed({
      summary: 'Record what wx.requestSubscribeMessage answered',
      description: 'Each "accept" allows one more notification of that template; reject, ban and filter grant nothing.',
      body: s.subscriptionsBody,
      response: { 200: s.creditsAnswer },
    }),
    async (request) => {
      const caller = callerOf(request);
      const { results } = request.body;
      const accepted = Object.entries(results).flatMap(([templateId, answer]) => (answer === 'accept' ? [templateId] : []));
      acceptSubscriptions(deps.env.database, MINI_PROGRAM_CHANNEL, caller.openId, accepted, deps.clock());
      return { credits: subscribeCreditsOf(deps.env.database, MINI_PROGRAM_CHANNEL, caller.openId) };
    },
  );

  routes.get(
    '/api/mp/progress',
    open({
      summary: 'Progress by receipt number and the last four digits of the phone, or the receipt’s tracking code (no login)',
      description:
        'Status and a coarse timeline, names masked. A wrong combination is 404 whichever part is wrong; every lookup is counted before it is answered: per IP address, wrong guesses per address, per receipt and address, and (more slowly) per receipt from everywhere (429 with Retry-After); a right answer gives its guess back.',
      querystring: s.progressQuery,
      response: { 200: s.progressAnswer, 404: 'No such errand for this phone', 429: 'Too many lookups' },
    }),
    async (request, reply) => {
      const q = request.query;
      try {
        const attempt = await deps.limiter.admit(request.ip, q.receipt);
        const progress = progressOf(deps.env, q.receipt, q.code !== undefined ? { code: q.code } : { phoneLast4: q.phoneLast4 ?? '' }, deps.clock());
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
