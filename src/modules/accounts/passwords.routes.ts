import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { onRequestHookHandler } from 'fastify';
import { ok } from '../../envelope.js';
import { errors } from '../../errors.js';
import { errorResponses } from '../../schemas.js';
import type { SignInLimits } from './accounts.routes.js';
import { AuthResponse, DeletedResponse } from './accounts.schemas.js';
import { emailOrThrow } from './accounts.service.js';
import { ChangePasswordBody, ConfirmPasswordResetBody, PasswordResetBody } from './passwords.schemas.js';
import type { PasswordsService } from './passwords.service.js';

const RESET_SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/**
 * POST /auth/password-reset and /auth/password-reset/confirm: no bearer token. The request has its
 * own limits per IP and per email and ignores Idempotency-Key (it answers 202 whatever happens, so a
 * retry is harmless); a confirm scopes the key to its reset token.
 */
export const passwordResetRoutes: FastifyPluginAsyncTypebox<{ passwords: PasswordsService; limits: SignInLimits }> = async (app, { passwords, limits }) => {
  // The mail that is still being prepared or sent when the app closes goes out before it closes.
  const afterAnswer = new Set<Promise<void>>();
  const sweep = setInterval(() => {
    passwords.deleteStaleResets(new Date()).catch((error: unknown) => app.log.warn({ err: error }, 'stale password-reset sweep failed'));
  }, RESET_SWEEP_INTERVAL_MS);
  sweep.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    await Promise.allSettled(afterAnswer);
  });

  app.post('/auth/password-reset', {
    onRequest: limits.perIp,
    preValidation: limits.perEmail,
    schema: {
      tags: ['auth'],
      summary: 'Mail a password-reset link (202 whether or not the account exists)',
      body: PasswordResetBody,
      response: { 202: DeletedResponse, ...errorResponses(503) },
    },
    handler: async (request, reply) => {
      if (!passwords.canMail) throw errors.emailNotConfigured();
      emailOrThrow(request.body.email);
      return reply.code(202).send(ok('if an account has this email, a link to reset its password is on its way', null));
    },
    // After the answer, so that whether the account exists shows neither in the answer nor in its timing.
    onResponse: (request, reply, done) => {
      if (reply.statusCode === 202) {
        const task = passwords
          .mailResetToken(emailOrThrow(request.body.email), new Date(), request.log)
          .catch((error: unknown) => request.log.error({ err: error }, 'password reset: could not prepare the mail'))
          .finally(() => afterAnswer.delete(task));
        afterAnswer.add(task);
      }
      done();
    },
  });

  app.post('/auth/password-reset/confirm', {
    config: {
      async idempotencyScope(request) {
        const token = (request.body as { token: string }).token;
        const reset = await passwords.resetTokenOwner(token);
        // The stored answer holds a token pair: encrypted under the reset token, which only the client holds.
        return reset ? { scope: `password-reset:${reset.id}`, userId: reset.userId, secret: token } : undefined;
      },
    },
    schema: {
      tags: ['auth'],
      summary: 'Choose a new password with a reset token: signs in and revokes every earlier sign-in',
      body: ConfirmPasswordResetBody,
      response: { 200: AuthResponse, ...errorResponses(409, 422) },
    },
    // Real time, not the test clock: the token's 30 minutes are an expiry like any other token's.
    handler: async (request) => ok('password changed; signed in', await passwords.confirmReset(request.body, new Date())),
  });
};

/** POST /users/me/password: behind the bearer token. */
export const passwordChangeRoutes: FastifyPluginAsyncTypebox<{ passwords: PasswordsService; limit: onRequestHookHandler | undefined }> = async (app, { passwords, limit }) => {
  app.post('/users/me/password', {
    onRequest: limit,
    schema: {
      tags: ['users'],
      summary: 'Change the password: every other sign-in is revoked, this one keeps working',
      security: [{ bearer: [] }],
      body: ChangePasswordBody,
      response: { 200: DeletedResponse, ...errorResponses(409, 422) },
    },
    handler: async (request) => {
      await passwords.changePassword(request.auth, request.body, new Date());
      return ok('password changed', null);
    },
  });
};
