// Per-request context: X-Request-Id, the focus-domain clock, the bearer token and the request log line.
import { randomUUID } from 'node:crypto';
import { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController, type onRequestHookHandler } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.js';
import { errors } from '../errors.js';
import type { AccountsService } from '../modules/accounts/accounts.service.js';
import { parseRfc3339, wholeSecond } from '../time/clock.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** "Now" for the focus domain: the real clock, or X-Test-Now under FOCUS_TEST_CLOCK=1. */
    now: Date;
    auth: { userId: number; loginId: number };
  }
}

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is a sane token, else a fresh UUID. */
export function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}

/**
 * One log line per request, when it is answered: `request completed` (or `request errored` when the
 * response stream failed) with request_id, req (method, url, host, remoteAddress, remotePort),
 * res.statusCode and responseTime in ms, that is everything Fastify's two default lines (`incoming
 * request` and `request completed`) carried between them. `incoming request` is still written, at
 * debug level: LOG_LEVEL=debug shows the requests that never finish. A 5xx is also logged with its
 * error by the error handler (src/errors.ts).
 */
export class RequestLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

export function registerRequestContext(app: FastifyInstance, config: Config): void {
  app.decorateRequest('now', null as unknown as Date);
  app.decorateRequest('auth', null as unknown as { userId: number; loginId: number });

  // Callback style, as every hook that does not wait for I/O: an async hook costs a promise and a
  // microtask turn on every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const header = config.testClock ? request.headers['x-test-now'] : undefined;
    if (typeof header === 'string') {
      const parsed = parseRfc3339(header);
      if (!parsed) return done(errors.validation([{ field: 'X-Test-Now', message: 'must be an RFC 3339 date-time' }], 'X-Test-Now must be an RFC 3339 date-time'));
      request.now = wholeSecond(parsed);
    } else {
      request.now = wholeSecond(new Date());
    }
    done();
  });
}

/** onRequest hook for routes behind `Authorization: Bearer <access_token>`. */
export function bearerAuth(accounts: AccountsService): onRequestHookHandler {
  return function authenticate(request, _reply, done) {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]{10,200})$/i.exec(header.trim()) : null;
    if (!match?.[1]) return done(errors.unauthorized());
    accounts.authenticate(match[1], new Date()).then((found) => {
      if (!found) return done(errors.unauthorized('the access token is expired, revoked or unknown'));
      request.auth = found;
      done();
    }, done);
  };
}
