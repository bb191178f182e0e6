import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { onRequestHookHandler, preValidationHookHandler } from 'fastify';
import { ok } from '../../envelope.js';
import { errorResponses } from '../../schemas.js';
import {
  AuthResponse,
  DeletedResponse,
  LoginBody,
  LogoutBody,
  RefreshBody,
  RegisterBody,
  TokenPairResponse,
  UpdateMeBody,
  UserResponse,
} from './accounts.schemas.js';
import type { AccountsService } from './accounts.service.js';

const TOKEN_SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** The limits of the sign-in routes (src/plugins/rate-limit.ts makes them); undefined when off. */
export interface SignInLimits {
  perIp: onRequestHookHandler | undefined;
  perEmail: preValidationHookHandler | undefined;
}

/**
 * POST /auth/register, /auth/login and /auth/refresh: no bearer token needed. Register and login
 * are limited per IP and per email, refresh per IP. Register and login ignore Idempotency-Key (no
 * user yet, and a stored token pair keyed by public data would be a credential); refresh scopes it
 * to the login of the presented token (docs/reliability.md).
 */
export const authRoutes: FastifyPluginAsyncTypebox<{ accounts: AccountsService; limits: SignInLimits }> = async (app, { accounts, limits }) => {
  // Expired tokens are dead weight; a rotated refresh token is kept until its expiry for reuse detection.
  const sweep = setInterval(() => {
    accounts.deleteExpiredTokens(new Date()).catch((error: unknown) => app.log.warn({ err: error }, 'expired token sweep failed'));
  }, TOKEN_SWEEP_INTERVAL_MS);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  app.post('/auth/register', {
    onRequest: limits.perIp,
    preValidation: limits.perEmail,
    schema: {
      tags: ['auth'],
      summary: 'Create an account and sign in',
      body: RegisterBody,
      response: { 201: AuthResponse, ...errorResponses(409) },
    },
    handler: async (request, reply) => {
      const result = await accounts.register(request.body, new Date());
      return reply.code(201).send(ok('account created', result));
    },
  });

  app.post('/auth/login', {
    onRequest: limits.perIp,
    preValidation: limits.perEmail,
    schema: {
      tags: ['auth'],
      summary: 'Sign in with email and password',
      body: LoginBody,
      response: { 200: AuthResponse, ...errorResponses() },
    },
    handler: async (request) => ok('signed in', await accounts.login(request.body, new Date())),
  });

  app.post('/auth/refresh', {
    onRequest: limits.perIp,
    config: {
      async idempotencyScope(request) {
        const token = (request.body as { refresh_token: string }).refresh_token;
        const owner = await accounts.refreshTokenOwner(token);
        // The stored pair is encrypted under the presented token, which only the client holds.
        return owner ? { scope: `login:${owner.loginId}`, userId: owner.userId, secret: token } : undefined;
      },
    },
    schema: {
      tags: ['auth'],
      summary: 'Exchange a refresh token for a new token pair (rotation; a reused token revokes the sign-in)',
      body: RefreshBody,
      response: { 200: TokenPairResponse, ...errorResponses(409, 422) },
    },
    handler: async (request) => ok('tokens refreshed', await accounts.refresh(request.body.refresh_token, new Date())),
  });
};

/** GET and PATCH /users/me: behind the bearer token. */
export const meRoutes: FastifyPluginAsyncTypebox<{ accounts: AccountsService }> = async (app, { accounts }) => {
  app.get('/users/me', {
    schema: { tags: ['users'], summary: 'The signed-in user', security: [{ bearer: [] }], response: { 200: UserResponse, ...errorResponses() } },
    handler: async (request) => ok('user', await accounts.me(request.auth.userId)),
  });

  app.patch('/users/me', {
    schema: {
      tags: ['users'],
      summary: 'Change display name or time zone',
      security: [{ bearer: [] }],
      body: UpdateMeBody,
      response: { 200: UserResponse, ...errorResponses(409, 422) },
    },
    handler: async (request) => ok('user updated', await accounts.updateMe(request.auth.userId, request.body, new Date())),
  });

  app.delete('/users/me', {
    schema: {
      tags: ['users'],
      summary: 'Delete the account and all of its data; its tokens stop working',
      security: [{ bearer: [] }],
      response: { 200: DeletedResponse, ...errorResponses(409, 422) },
    },
    handler: async (request) => {
      await accounts.deleteAccount(request.auth.userId);
      return ok('account deleted', null);
    },
  });

  app.post('/auth/logout', {
    schema: {
      tags: ['auth'],
      summary: 'Sign out: the access token used and its refresh token stop working',
      security: [{ bearer: [] }],
      body: LogoutBody,
      response: { 200: DeletedResponse, ...errorResponses(409, 422) },
    },
    // No body at all is fine: it means {}.
    preValidation: async (request) => {
      if (request.body === undefined || request.body === null) request.body = {};
    },
    handler: async (request) => {
      await accounts.logout(request.auth, request.body.refresh_token, new Date());
      return ok('signed out', null);
    },
  });
};
