// Per-request context: X-Request-Id, the focus-domain clock and the bearer token.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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

export function registerRequestContext(app: FastifyInstance, config: Config): void {
  app.decorateRequest('now', null as unknown as Date);
  app.decorateRequest('auth', null as unknown as { userId: number; loginId: number });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    let now = new Date();
    if (config.testClock) {
      const header = request.headers['x-test-now'];
      if (typeof header === 'string') {
        const parsed = parseRfc3339(header);
        if (!parsed) throw errors.validation([{ field: 'X-Test-Now', message: 'must be an RFC 3339 date-time' }], 'X-Test-Now must be an RFC 3339 date-time');
        now = parsed;
      }
    }
    request.now = wholeSecond(now);
  });
}

/** onRequest hook for routes behind `Authorization: Bearer <access_token>`. */
export function bearerAuth(accounts: AccountsService) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]{10,200})$/i.exec(header.trim()) : null;
    if (!match?.[1]) throw errors.unauthorized();
    const found = await accounts.authenticate(match[1], new Date());
    if (!found) throw errors.unauthorized('the access token is expired, revoked or unknown');
    request.auth = found;
  };
}
