import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ok } from '../../envelope.js';
import { errorResponses } from '../../schemas.js';
import { AuthResponse, LoginBody, RegisterBody, UpdateMeBody, UserResponse } from './accounts.schemas.js';
import type { AccountsService } from './accounts.service.js';

/** POST /auth/register and /auth/login: no bearer token needed. */
export const authRoutes: FastifyPluginAsyncTypebox<{ accounts: AccountsService }> = async (app, { accounts }) => {
  app.post('/auth/register', {
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
    schema: {
      tags: ['auth'],
      summary: 'Sign in with email and password',
      body: LoginBody,
      response: { 200: AuthResponse, ...errorResponses() },
    },
    handler: async (request) => ok('signed in', await accounts.login(request.body, new Date())),
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
      response: { 200: UserResponse, ...errorResponses() },
    },
    handler: async (request) => ok('user updated', await accounts.updateMe(request.auth.userId, request.body, new Date())),
  });
};
