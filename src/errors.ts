// One error class, the fixed list of codes (contract section 1), and the single error handler.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BatchAbortedError, DatabaseBusyError, PreparedStatementChangedError } from './db/errors.js';
import { errorBody } from './envelope.js';
import { controlCharacterMessage } from './text-patterns.js';

export const ERROR_CODES = {
  validation_error: 400,
  invalid_json: 400,
  malformed_request: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  not_found: 404,
  request_timeout: 408,
  session_already_running: 409,
  invalid_session_state: 409,
  email_taken: 409,
  tag_exists: 409,
  idempotency_key_in_use: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  headers_too_large: 431,
  elapsed_seconds_invalid: 422,
  action_time_invalid: 422,
  idempotency_key_reused: 422,
  tag_archived: 422,
  limit_reached: 422,
  reset_token_invalid: 422,
  rate_limited: 429,
  service_unavailable: 503,
  email_not_configured: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = null,
    readonly headers: Record<string, string> = {},
    status: number = ERROR_CODES[code],
  ) {
    super(message);
    this.name = 'AppError';
    this.status = status;
  }
}

export const errors = {
  validation: (details: FieldError[], message = 'the request is not valid') =>
    new AppError('validation_error', message, details),
  unauthorized: (message = 'a valid bearer token is required') =>
    new AppError('unauthorized', message, null, { 'WWW-Authenticate': 'Bearer' }),
  invalidCredentials: () => new AppError('invalid_credentials', 'the email or password is wrong'),
  // 422, not the list's 401: the bearer token is fine, and a client must not take it for a sign-out
  wrongCurrentPassword: () => new AppError('invalid_credentials', 'the current password is wrong', null, {}, 422),
  resetTokenInvalid: () =>
    new AppError('reset_token_invalid', 'this password-reset link is unknown, already used, replaced or expired; ask for a new one'),
  emailNotConfigured: () => new AppError('email_not_configured', 'this server cannot send email, so passwords cannot be reset by email here'),
  notFound: (what = 'resource') => new AppError('not_found', `${what} not found`),
  emailTaken: () => new AppError('email_taken', 'an account with this email already exists'),
  tagExists: () => new AppError('tag_exists', 'you already have a tag with this name (names ignore letter case)'),
  tagArchived: () => new AppError('tag_archived', 'this tag is archived; unarchive it before giving it to a session'),
  limitReached: (what: string, limit: number) => new AppError('limit_reached', `at most ${limit} ${what} per user`, { limit }),
  sessionAlreadyRunning: (session: unknown) =>
    new AppError('session_already_running', 'a focus session is already running', { session }),
  invalidSessionState: (action: string, status: string, allowedFrom: readonly string[]) =>
    new AppError('invalid_session_state', `cannot ${action} a session that is ${status}`, {
      status,
      allowed_from: allowedFrom,
    }),
  actionTimeInvalid: (earliest: string) =>
    new AppError('action_time_invalid', `at is earlier than this action allows; the earliest accepted is ${earliest}`, { earliest }),
  elapsedInvalid: (message: string, rule: number) =>
    new AppError('elapsed_seconds_invalid', message, { field: 'elapsed_seconds', rule }),
  rateLimited: (retryAfterSeconds: number, headers: Record<string, string>) =>
    new AppError('rate_limited', `too many requests, retry in ${retryAfterSeconds} s`, { retry_after_seconds: retryAfterSeconds }, {
      ...headers,
      'Retry-After': String(retryAfterSeconds),
    }),
  idempotencyKeyInUse: () =>
    new AppError('idempotency_key_in_use', 'a request with this Idempotency-Key is still being processed; retry later'),
  idempotencyKeyReused: () =>
    new AppError('idempotency_key_reused', 'this Idempotency-Key was used for a different request (method, path or body)'),
};

type AjvError = NonNullable<FastifyError['validation']>[number];

/**
 * A union (anyOf) reports one error per branch plus its own: `status` gets "must be equal to
 * constant" twice and "must match a schema in anyOf". Say it once instead: "must be one of
 * "completed", "abandoned"", "must be null or object"; and drop a branch's type error when another
 * branch matched the type and failed on something more specific (an unknown field, say).
 */
function collapseUnions(list: readonly AjvError[]): AjvError[] {
  const unions = new Set(list.filter((v) => v.keyword === 'anyOf' || v.keyword === 'oneOf').map((v) => v.instancePath));
  if (unions.size === 0) return [...list];
  const out: AjvError[] = [];
  const merged = new Map<string, { error: AjvError; values: string[] }>();
  for (const v of list) {
    if (unions.has(v.instancePath) && (v.keyword === 'anyOf' || v.keyword === 'oneOf')) continue;
    if (unions.has(v.instancePath) && (v.keyword === 'const' || v.keyword === 'type')) {
      const path = v.instancePath;
      // another branch had the right type (or the values are listed anyway): the type error is noise
      const deeper = list.some(
        (o) =>
          (o.keyword === 'const' && o.instancePath === path) ||
          (!['anyOf', 'oneOf', 'const', 'type'].includes(o.keyword) && (o.instancePath === path || o.instancePath.startsWith(`${path}/`))),
      );
      if (v.keyword === 'type' && deeper) continue;
      const params = v.params as { allowedValue?: unknown; type?: unknown };
      const value = v.keyword === 'const' ? JSON.stringify(params.allowedValue) : String(params.type);
      const key = `${v.keyword}:${path}`;
      const entry = merged.get(key);
      if (entry) {
        if (!entry.values.includes(value)) entry.values.push(value);
        continue;
      }
      const error = { ...v };
      merged.set(key, { error, values: [value] });
      out.push(error);
      continue;
    }
    out.push(v);
  }
  for (const [key, { error, values }] of merged) {
    error.message = key.startsWith('const:') ? `must be one of ${values.join(', ')}` : `must be ${values.join(' or ')}`;
  }
  return out;
}

/** Ajv error → the contract's `{field, message}`. */
function fieldErrors(error: FastifyError): FieldError[] {
  const context = (error as FastifyError & { validationContext?: string }).validationContext;
  return collapseUnions(error.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>;
    let field = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (typeof params.missingProperty === 'string') field = field ? `${field}.${params.missingProperty}` : params.missingProperty;
    if (typeof params.additionalProperty === 'string') {
      const name = field ? `${field}.${params.additionalProperty}` : params.additionalProperty;
      return { field: name, message: 'is not an allowed field' };
    }
    if (field === '') field = context ?? 'body';
    const message = (v.keyword === 'pattern' ? controlCharacterMessage(params.pattern) : undefined) ?? v.message ?? 'is not valid';
    return { field, message };
  });
}

/** A database error that left nothing behind and whose retry can succeed: the 503's message, else undefined. */
function retryableDatabaseMessage(error: unknown): string | undefined {
  if (error instanceof DatabaseBusyError) return 'the database is busy; retry the request';
  if (error instanceof BatchAbortedError) return 'the database could not save this request (nothing of it was kept); retry the request';
  if (error instanceof PreparedStatementChangedError) return 'a table this request reads changed while it ran (a migration); retry the request';
  return undefined;
}

function classify(error: FastifyError): AppError | null {
  if (error instanceof AppError) return error;
  const retry = retryableDatabaseMessage(error);
  if (retry !== undefined) return new AppError('service_unavailable', retry, null, { 'retry-after': '1' });
  if (error.validation) {
    const details = fieldErrors(error);
    const first = details[0];
    return errors.validation(details, first ? `${first.field} ${first.message}` : 'the request is not valid');
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('invalid_json', 'the request body is not valid JSON');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errors.validation([{ field: 'body', message: 'is required' }], 'the request body is required');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'the request body is larger than 16 KiB');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('unsupported_media_type', 'the request body must be JSON (application/json)');
  }
  // a malformed JSON body detected by the parser itself
  if (error instanceof SyntaxError) return new AppError('invalid_json', 'the request body is not valid JSON');
  if (error.statusCode === 413) return new AppError('payload_too_large', 'the request body is larger than 16 KiB');
  if (error.statusCode === 415) return new AppError('unsupported_media_type', 'the request body must be JSON (application/json)');
  if (error.statusCode === 429) return new AppError('rate_limited', 'too many requests, slow down');
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return errors.validation([], 'the request is not valid');
  }
  return null;
}

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply.code(error.status).send(errorBody(error.code, error.message, error.details));
}

export interface ErrorHandlingOptions {
  /**
   * Asked on an unexpected error or a 404 only: whether the caller's account is gone. An account
   * deleted while its other requests run leaves them authenticated against a user row that no longer
   * exists (a read that finds nothing, a foreign key that fails, a resource no longer found); their
   * answer is then the 401 their next request gets, not a 500 or a 404.
   */
  accountGone?: (request: FastifyRequest) => Promise<boolean>;
}

export function registerErrorHandling(app: FastifyInstance, options: ErrorHandlingOptions = {}): void {
  const { accountGone } = options;
  app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = classify(error);
    if ((!known || known.code === 'not_found') && accountGone && (await accountGone(request).catch(() => false))) {
      request.log.info({ err: error }, 'the account was deleted while the request ran');
      return sendError(reply, errors.unauthorized('the access token is expired, revoked or unknown'));
    }
    if (known) {
      if (known.status >= 500) request.log.error({ err: error }, known.message);
      return sendError(reply, known);
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply
      .code(500)
      .send(errorBody('internal_error', 'something went wrong on our side', { request_id: request.id }));
  });
  app.setNotFoundHandler((request, reply) => {
    return sendError(reply, new AppError('not_found', `no route for ${request.method} ${request.url.split('?')[0]}`));
  });
}
