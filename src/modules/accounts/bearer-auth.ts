// `Authorization: Bearer <access_token>` → request.auth, for the routes behind a sign-in.
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { errors } from '../../errors.js';
import type { AccountsService } from './accounts.service.js';

export interface RequestAuth {
  userId: number;
  loginId: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth;
  }
}

/** Declares request.auth on every request (null until bearerAuth sets it), so hooks may test it. */
export function decorateRequestAuth(app: FastifyInstance): void {
  app.decorateRequest('auth', null as unknown as RequestAuth);
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
