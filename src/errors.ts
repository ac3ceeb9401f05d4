/**
 * The one error catalog: every error the product reports has a code here, with its HTTP status,
 * whether retrying can help, and (for errors a resident may meet in chat) the template that
 * explains it. A test checks that every template exists.
 */

interface ErrorSpec {
  status: number;
  retryable: boolean;
  /** Template shown to a chat user, when the error can reach one. */
  template: string | null;
  /** Default English message for API clients. */
  message: string;
}

export const errorCatalog = {
  invalid_request: { status: 400, retryable: false, template: null, message: 'The request is not valid.' },
  unauthorized: { status: 401, retryable: false, template: null, message: 'A valid Authorization: Bearer <ADMIN_TOKEN> header is required.' },
  session_required: {
    status: 401,
    retryable: false,
    template: null,
    message: 'Log in again: the session token is missing, unknown or expired (Authorization: Bearer <token> from POST /api/mp/login).',
  },
  invalid_login_code: {
    status: 400,
    retryable: false,
    template: null,
    message: 'The login code is invalid or was already used; call wx.login() again for a new one.',
  },
  invalid_phone_code: {
    status: 400,
    retryable: false,
    template: null,
    message: 'The phone number code is invalid or was already used; let the resident tap the phone button again.',
  },
  phone_unverified: {
    status: 403,
    retryable: false,
    template: null,
    message: "WeChat's phone number answer was not for this mini-program; the number was not used.",
  },
  invalid_signature: { status: 403, retryable: false, template: null, message: 'The WeChat signature is missing or wrong.' },
  not_found: { status: 404, retryable: false, template: null, message: 'Not found.' },
  unknown_room: { status: 404, retryable: false, template: null, message: 'This room is not in the roster.' },
  payload_too_large: { status: 413, retryable: false, template: null, message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, retryable: false, template: null, message: 'Send JSON with Content-Type: application/json.' },
  invalid_roster: { status: 422, retryable: false, template: null, message: 'The roster is not valid.' },
  invalid_catalog_item: { status: 422, retryable: false, template: null, message: 'The catalogue item is not valid.' },
  invalid_calendar: { status: 422, retryable: false, template: null, message: 'The calendar overrides are not valid.' },
  invalid_bind_code: { status: 422, retryable: false, template: null, message: 'The bind code request is not valid.' },
  idempotency_conflict: { status: 422, retryable: false, template: null, message: 'This Idempotency-Key was already used for a different request.' },
  too_many_requests: { status: 429, retryable: true, template: null, message: 'Too many requests; wait and try again (see Retry-After).' },
  conflict: { status: 409, retryable: true, template: 'errors.internal', message: 'Someone else changed this at the same time; try again.' },
  already_registered: { status: 409, retryable: false, template: null, message: 'This WeChat user is already registered.' },
  phone_shared: {
    status: 409,
    retryable: false,
    template: null,
    message: "Several people in the county's records have this phone number, so it cannot tell who you are; ask your village agent to link your account.",
  },
  not_registered: { status: 409, retryable: false, template: 'errors.not_registered', message: 'The person has not registered.' },
  no_village: { status: 422, retryable: false, template: 'errors.no_village', message: 'The person has no known village.' },
  item_unavailable: { status: 422, retryable: false, template: 'errors.item_unavailable', message: 'The catalogue item cannot be requested this way.' },
  errand_not_found: { status: 404, retryable: false, template: 'errors.errand_not_found', message: 'No such errand.' },
  not_allowed: { status: 403, retryable: false, template: 'errors.not_allowed', message: 'This move is not allowed now.' },
  wechat_busy: { status: 503, retryable: true, template: null, message: 'WeChat is busy or not answering; try again in a moment.' },
  unavailable: { status: 503, retryable: true, template: null, message: 'A dependency is not answering.' },
  internal: { status: 500, retryable: true, template: 'errors.internal', message: 'Something went wrong on our side.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalog;

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message ?? errorCatalog[code].message, options);
  }

  get status(): number {
    return errorCatalog[this.code].status;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
