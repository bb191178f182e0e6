// Passwords (contract 16): change, and reset by email over a real SMTP server started here.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { hashToken } from '../src/modules/accounts/tokens.js';
import { type TestApp, createTestApp, registerUser, suiteApp, testConfig, uniqueEmail } from './app.js';
import { type TestDatabase, testDatabases } from './databases.js';
import { type ReceivedMail, type TestSmtpServer, startSmtpServer } from './smtp-server.js';

const RESET_URL = 'http://focus.test/#/reset?token={token}';
const MAIL_FROM = 'Focus Test <no-reply@focus.test>';
const NEW_PASSWORD = 'a brand new passphrase';

const post = (app: FastifyInstance, url: string, payload: object, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: `/api/v1${url}`, payload, headers });
const requestReset = (app: FastifyInstance, email: string, ip = '127.0.0.1') =>
  app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email }, remoteAddress: ip });
const confirm = (app: FastifyInstance, token: string, headers: Record<string, string> = {}) =>
  post(app, '/auth/password-reset/confirm', { token, new_password: NEW_PASSWORD }, headers);
const login = (app: FastifyInstance, email: string, password: string) => post(app, '/auth/login', { email, password });
const me = (app: FastifyInstance, accessToken: string) =>
  app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { authorization: `Bearer ${accessToken}` } });
const refresh = (app: FastifyInstance, refreshToken: string) => post(app, '/auth/refresh', { refresh_token: refreshToken });

function expectError(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json()).toMatchObject({ success: false, error: { code } });
}

/** The token in a reset mail's link. */
function tokenOf(mail: ReceivedMail): string {
  const match = /^http:\/\/focus\.test\/#\/reset\?token=(fp_[A-Za-z0-9_-]+)$/m.exec(mail.text);
  if (!match?.[1]) throw new Error(`no reset link in:\n${mail.text}`);
  return match[1];
}

describe.each(testDatabases)('passwords on $name', (database: TestDatabase) => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp?.close();
  });
  const env = () => ({ SMTP_URL: smtp.url, MAIL_FROM, PASSWORD_RESET_URL: RESET_URL });

  describe('POST /users/me/password', () => {
    const t = suiteApp(database);
    const change = (accessToken: string, current: string, next: string) =>
      post(t.app, '/users/me/password', { current_password: current, new_password: next }, { authorization: `Bearer ${accessToken}` });

    it('answers 200 with data null, revokes every other sign-in and keeps the caller signed in', async () => {
      const user = await registerUser(t.app);
      const other = (await login(t.app, user.email, user.password)).json().data;
      const res = await change(user.accessToken, user.password, NEW_PASSWORD);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ success: true, data: null });

      expect((await me(t.app, user.accessToken)).statusCode).toBe(200);
      expect((await refresh(t.app, user.refreshToken)).statusCode).toBe(200);
      expectError(await me(t.app, other.access_token), 401, 'unauthorized');
      expectError(await refresh(t.app, other.refresh_token), 401, 'unauthorized');
      expectError(await login(t.app, user.email, user.password), 401, 'invalid_credentials');
      expect((await login(t.app, user.email, NEW_PASSWORD)).statusCode).toBe(200);
    });

    it('answers a wrong current password 422 invalid_credentials and changes nothing', async () => {
      const user = await registerUser(t.app);
      const other = (await login(t.app, user.email, user.password)).json().data;
      const res = await change(user.accessToken, 'not the password', NEW_PASSWORD);
      expectError(res, 422, 'invalid_credentials');
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect((await me(t.app, other.access_token)).statusCode).toBe(200);
      expect((await login(t.app, user.email, user.password)).statusCode).toBe(200);
    });

    it('checks new_password only once the current password is verified: then too short, too long or unchanged is a 400', async () => {
      const user = await registerUser(t.app);
      expectError(await change(user.accessToken, 'not the password', 'short'), 422, 'invalid_credentials');
      for (const next of ['x'.repeat(7), 'x'.repeat(129), user.password]) {
        const res = await change(user.accessToken, user.password, next);
        expectError(res, 400, 'validation_error');
        expect(res.json().error.details).toEqual([{ field: 'new_password', message: expect.any(String) }]);
      }
      expect((await login(t.app, user.email, user.password)).statusCode).toBe(200);
    });

    it('needs a bearer token', async () => {
      expectError(await post(t.app, '/users/me/password', { current_password: 'whatever1', new_password: NEW_PASSWORD }), 401, 'unauthorized');
    });
  });

  describe('POST /users/me/password with AUTH_RATE_LIMIT_PER_MINUTE=3', () => {
    const t = suiteApp(database, { AUTH_RATE_LIMIT_PER_MINUTE: '3' });

    it('answers 429 after 3 attempts of a user, even with the right password; other users are not affected', async () => {
      const user = await registerUser(t.app);
      const attempt = (current: string) =>
        post(t.app, '/users/me/password', { current_password: current, new_password: NEW_PASSWORD }, { authorization: `Bearer ${user.accessToken}` });
      for (let i = 0; i < 3; i += 1) expectError(await attempt(`wrong guess ${i}`), 422, 'invalid_credentials');
      const limited = await attempt(user.password);
      expectError(limited, 429, 'rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await login(t.app, user.email, user.password)).statusCode).toBe(200);

      const someoneElse = await registerUser(t.app);
      const res = await post(
        t.app,
        '/users/me/password',
        { current_password: someoneElse.password, new_password: NEW_PASSWORD },
        { authorization: `Bearer ${someoneElse.accessToken}` },
      );
      expect(res.statusCode, res.body).toBe(200);
    });
  });

  describe('password reset by email', () => {
    const t: TestApp = {} as TestApp;
    beforeAll(async () => {
      Object.assign(t, await createTestApp(database, env()));
    });
    afterAll(async () => {
      await t.close?.();
    });
    /** Moves every reset of the user back in time, as if they had been made `seconds` earlier. */
    const age = async (userId: number, seconds: number) => {
      const rows = await t.handle.db.selectFrom('password_resets').select(['id', 'created_at', 'expires_at']).where('user_id', '=', userId).execute();
      const back = (ts: string) => new Date(Date.parse(ts) - seconds * 1000).toISOString().slice(0, 19) + 'Z';
      for (const row of rows) {
        await t.handle.db.updateTable('password_resets').set({ created_at: back(row.created_at), expires_at: back(row.expires_at) }).where('id', '=', row.id).execute();
      }
    };

    /** A new user, and the token of the reset mail they asked for. */
    const userWithResetToken = async () => {
      const user = await registerUser(t.app);
      await requestReset(t.app, user.email);
      return { user, token: tokenOf(await smtp.nextMailTo(user.email)) };
    };

    it('answers 202 with the same body for a known and an unknown address', async () => {
      const user = await registerUser(t.app);
      const known = await requestReset(t.app, user.email);
      const unknown = await requestReset(t.app, uniqueEmail('nobody'));
      expect(known.statusCode, known.body).toBe(202);
      expect(unknown.statusCode).toBe(202);
      expect(unknown.body).toBe(known.body);
      expect(known.json()).toMatchObject({ success: true, data: null });
      await smtp.nextMailTo(user.email);
    });

    it('mails a link whose token signs in with the new password and revokes every earlier sign-in', async () => {
      const user = await registerUser(t.app, { display_name: 'Ada' });
      const other = (await login(t.app, user.email, user.password)).json().data;
      expect((await requestReset(t.app, `  ${user.email.toUpperCase()} `)).statusCode).toBe(202);

      const mail = await smtp.nextMailTo(user.email);
      expect(mail.to).toEqual([user.email]);
      expect(mail.headers.from).toBe('Focus Test <no-reply@focus.test>');
      expect(mail.headers.to).toBe(user.email);
      expect(mail.headers.subject).toMatch(/password/i);
      const token = tokenOf(mail);

      // the test clock does not move a reset token's expiry: a day ahead on it changes nothing
      const res = await confirm(t.app, token, { 'x-test-now': new Date(Date.now() + 86_400_000).toISOString().slice(0, 19) + 'Z' });
      expect(res.statusCode, res.body).toBe(200);
      const data = res.json().data;
      expect(data).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String), refresh_token: expect.any(String) });
      expect(data.user).toMatchObject({ id: user.id, email: user.email, display_name: 'Ada' });
      expect((await me(t.app, data.access_token)).statusCode).toBe(200);

      for (const accessToken of [user.accessToken, other.access_token]) expectError(await me(t.app, accessToken), 401, 'unauthorized');
      for (const refreshToken of [user.refreshToken, other.refresh_token]) expectError(await refresh(t.app, refreshToken), 401, 'unauthorized');
      expectError(await login(t.app, user.email, user.password), 401, 'invalid_credentials');
      expect((await login(t.app, user.email, NEW_PASSWORD)).statusCode).toBe(200);
    });

    it('stores only the token hash, valid 30 minutes on the real clock', async () => {
      const user = await registerUser(t.app);
      const before = Date.now();
      await requestReset(t.app, user.email);
      const token = tokenOf(await smtp.nextMailTo(user.email));
      const rows = await t.handle.db.selectFrom('password_resets').selectAll().where('user_id', '=', user.id).execute();
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row.token_hash).toBe(hashToken(token));
      expect(JSON.stringify(rows)).not.toContain(token.slice(3));
      expect(Date.parse(row.created_at)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(row.created_at)).toBeLessThanOrEqual(Date.now());
      expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(30 * 60 * 1000);
    });

    it('accepts a token once', async () => {
      const { token } = await userWithResetToken();
      expect((await confirm(t.app, token)).statusCode).toBe(200);
      expectError(await confirm(t.app, token), 422, 'reset_token_invalid');
    });

    it('answers a confirm retried with the same Idempotency-Key with the same answer', async () => {
      const { user, token } = await userWithResetToken();
      const first = await confirm(t.app, token, { 'idempotency-key': 'reset-1' });
      expect(first.statusCode, first.body).toBe(200);
      const retry = await confirm(t.app, token, { 'idempotency-key': 'reset-1' });
      expect(retry.statusCode).toBe(200);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toBe(first.body);
      expect((await me(t.app, retry.json().data.access_token)).statusCode).toBe(200);
      expectError(await confirm(t.app, token, { 'idempotency-key': 'reset-2' }), 422, 'reset_token_invalid');
      // the stored answer holds tokens: it is kept encrypted
      const stored = await t.handle.db.selectFrom('idempotency_keys').select('response_body').where('key', '=', 'reset-1').where('user_id', '=', user.id).execute();
      expect(stored).toHaveLength(1);
      expect(stored[0]!.response_body).not.toContain(first.json().data.access_token);
    });

    it('refuses an expired token', async () => {
      const { user, token } = await userWithResetToken();
      await age(user.id, 30 * 60);
      expectError(await confirm(t.app, token), 422, 'reset_token_invalid');
      expect((await login(t.app, user.email, user.password)).statusCode).toBe(200);
    });

    it('refuses a token never issued', async () => {
      expectError(await confirm(t.app, 'fp_not-a-token-anyone-was-given'), 422, 'reset_token_invalid');
    });

    it('keeps a token working after a newer request, and refuses it once another token was used', async () => {
      const { user, token: older } = await userWithResetToken();
      await age(user.id, 5 * 60 + 1);
      await requestReset(t.app, user.email);
      const newer = tokenOf(await smtp.nextMailTo(user.email));
      expect(newer).not.toBe(older);

      expect((await confirm(t.app, older)).statusCode).toBe(200);
      expectError(await confirm(t.app, newer), 422, 'reset_token_invalid');
    });

    it('refuses a token after a password change', async () => {
      const { user, token } = await userWithResetToken();
      const changed = await user.request({ method: 'POST', url: '/api/v1/users/me/password', payload: { current_password: user.password, new_password: NEW_PASSWORD } });
      expect(changed.statusCode, changed.body).toBe(200);
      expectError(await confirm(t.app, token), 422, 'reset_token_invalid');
    });

    it('refuses a token after the account was deleted', async () => {
      const { user, token } = await userWithResetToken();
      expect((await user.request({ method: 'DELETE', url: '/api/v1/users/me' })).statusCode).toBe(200);
      expectError(await confirm(t.app, token), 422, 'reset_token_invalid');
    });

    it('mails an account again once 5 minutes have passed since its last mail', async () => {
      const { user, token: first } = await userWithResetToken();
      await age(user.id, 5 * 60 + 1);
      await requestReset(t.app, user.email);
      expect(tokenOf(await smtp.nextMailTo(user.email))).not.toBe(first);
    });

    it('answers a malformed address 400, as register does', async () => {
      expectError(await requestReset(t.app, 'not-an-address'), 400, 'validation_error');
    });
  });

  describe('password reset mail, counted once the app has closed (it waits for the mail it owes)', () => {
    it('sends at most one mail per account per 5 minutes, and none to an unknown address; every request still gets 202', async () => {
      const own = await createTestApp(database, env());
      const user = await registerUser(own.app);
      const nobody = uniqueEmail('nobody');
      // at once: the account's row lock keeps two requests from both finding no recent mail
      const answers = await Promise.all([1, 2, 3].flatMap(() => [requestReset(own.app, user.email), requestReset(own.app, nobody)]));
      await own.close();
      expect(answers.map((res) => res.statusCode)).toEqual([202, 202, 202, 202, 202, 202]);
      expect(new Set(answers.map((res) => res.body)).size).toBe(1);
      expect(smtp.mailsTo(user.email)).toHaveLength(1);
      expect(smtp.mailsTo(nobody)).toHaveLength(0);
    });

    it('answers before the SMTP server has taken the mail', async () => {
      const own = await createTestApp(database, env());
      const user = await registerUser(own.app);
      const release = smtp.hold();
      try {
        const res = await requestReset(own.app, user.email);
        expect(res.statusCode).toBe(202);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(smtp.mailsTo(user.email)).toHaveLength(0);
      } finally {
        release();
      }
      await smtp.nextMailTo(user.email);
      await own.close();
    });
  });

  describe('password reset with a failing SMTP server', () => {
    it('logs and counts the failure in /metrics; the caller gets the same 202 and may ask again at once', async () => {
      const created = await database.create();
      const lines: string[] = [];
      const app = await buildApp(testConfig(created.url, { ...env(), LOG_LEVEL: 'info' }), created.handle, {
        webRoot: null,
        logStream: { write: (line) => lines.push(line) },
      });
      await app.ready();
      smtp.refuse(true);
      try {
        const user = await registerUser(app);
        const failures = async () => /^focus_mail_failures_total\{kind="password_reset"\} (\d+)$/m.exec((await app.inject({ method: 'GET', url: '/metrics' })).body)?.[1];
        const resets = async () => (await created.handle.db.selectFrom('password_resets').select('id').where('user_id', '=', user.id).execute()).length;
        /** Until `count` failures are counted and the failed mail's token is gone again. */
        const waitForFailures = async (count: string) => {
          const deadline = Date.now() + 20_000; // generous: the machine may be busy
          while (((await failures()) !== count || (await resets()) !== 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
          expect(await failures()).toBe(count);
          expect(await resets()).toBe(0);
        };

        const known = await requestReset(app, user.email);
        const unknown = await requestReset(app, uniqueEmail('nobody'));
        expect(known.statusCode).toBe(202);
        expect(known.body).toBe(unknown.body);
        await waitForFailures('1');
        const logged = lines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 50);
        expect(logged).toHaveLength(1);
        expect(logged[0]).toMatchObject({ mail_kind: 'password_reset', err: { message: expect.stringContaining('mailbox unavailable') } });
        expect(lines.join('\n')).not.toContain(user.email);
        expect(lines.join('\n')).not.toContain('smtp-secret');

        // the mail that never left took no token and no 5-minute slot
        expect((await requestReset(app, user.email)).statusCode).toBe(202);
        await waitForFailures('2');
        smtp.refuse(false);
        expect((await requestReset(app, user.email)).statusCode).toBe(202);
        tokenOf(await smtp.nextMailTo(user.email));
      } finally {
        smtp.refuse(false);
        await app.close();
        await created.drop();
      }
    }, 60_000);
  });

  describe('password reset without SMTP_URL', () => {
    const t = suiteApp(database);

    it('answers 503 email_not_configured', async () => {
      const user = await registerUser(t.app);
      expectError(await requestReset(t.app, user.email), 503, 'email_not_configured');
      expectError(await requestReset(t.app, uniqueEmail('nobody')), 503, 'email_not_configured');
    });
  });

  describe('password reset with AUTH_RATE_LIMIT_PER_MINUTE=2', () => {
    const t = suiteApp(database, { AUTH_RATE_LIMIT_PER_MINUTE: '2', SMTP_URL: 'smtp://127.0.0.1:9' });

    it('limits requests per email, known or unknown alike, whatever the IP', async () => {
      const user = await registerUser(t.app);
      for (const email of [user.email, uniqueEmail('nobody')]) {
        expect((await requestReset(t.app, email, '10.0.0.1')).statusCode).toBe(202);
        expect((await requestReset(t.app, email, '10.0.0.2')).statusCode).toBe(202);
        const limited = await requestReset(t.app, email, '10.0.0.3');
        expectError(limited, 429, 'rate_limited');
        expect(limited.headers['retry-after']).toBeDefined();
      }
    });

    it('limits requests per IP, apart from the sign-in limits', async () => {
      expect((await requestReset(t.app, uniqueEmail('a'), '10.0.1.1')).statusCode).toBe(202);
      expect((await requestReset(t.app, uniqueEmail('b'), '10.0.1.1')).statusCode).toBe(202);
      expectError(await requestReset(t.app, uniqueEmail('c'), '10.0.1.1'), 429, 'rate_limited');
      const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: uniqueEmail('d'), password: 'whatever1' }, remoteAddress: '10.0.1.1' });
      expectError(signIn, 401, 'invalid_credentials');
    });
  });
});
