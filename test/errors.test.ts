// The contract's error table, row by row, over HTTP on a real database; plus strict validation.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestUser, createTestApp, registerUser, suiteApp } from './app.js';
import { testDatabases } from './databases.js';

const T0 = '2026-02-18T08:00:00Z';

/**
 * One request (`'POST /api/v1/sessions'`) at T0 on the test clock, as `from`: a user, or the app for
 * a request without a token. A string body is sent as written, as application/json unless `headers`
 * names another content type.
 */
function send(from: TestUser | FastifyInstance, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const [method, url] = route.split(' ') as [InjectOptions['method'], string];
  const options: InjectOptions = {
    method,
    url,
    headers: { 'x-test-now': T0, ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
  };
  return 'inject' in from ? from.inject(options) : from.request(options);
}

/** Starts a session of `duration_seconds` for `runner` at T0 and returns it. */
async function startSession(runner: TestUser, duration_seconds = 1500): Promise<{ id: number } & Record<string, unknown>> {
  const res = await send(runner, 'POST /api/v1/sessions', { duration_seconds });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data;
}

function expectError(res: { statusCode: number; json(): unknown; body: string }, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json() as { success: boolean; message: string; error: { code: string; details: unknown } };
  expect(body.success).toBe(false);
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
  expect(body.error.code).toBe(code);
  expect(body).toHaveProperty('error.details');
  return body;
}

describe.each(testDatabases)('the error table on $name', (database) => {
  const t = suiteApp(database);
  let user: TestUser;

  beforeAll(async () => {
    user = await registerUser(t.app);
  });

  describe('400 validation_error', () => {
    it('names the field and rejects a string where an integer is expected (no coercion)', async () => {
      const body = expectError(await send(user, 'POST /api/v1/sessions', { duration_seconds: '1500' }), 400, 'validation_error');
      expect(body.error.details).toEqual([{ field: 'duration_seconds', message: expect.any(String) }]);
    });

    it('rejects a fractional number for an integer field', async () => {
      expectError(await send(user, 'POST /api/v1/sessions', { duration_seconds: 1500.5 }), 400, 'validation_error');
    });

    it('rejects true for an integer field', async () => {
      expectError(await send(user, 'POST /api/v1/sessions', { duration_seconds: true }), 400, 'validation_error');
    });

    it('rejects an unknown field and names it', async () => {
      const res = await send(user, 'POST /api/v1/sessions', { duration_seconds: 1500, label: 'deep work' });
      expect(expectError(res, 400, 'validation_error').error.details).toEqual([{ field: 'label', message: 'is not an allowed field' }]);
    });

    it('says once which values a union field allows', async () => {
      const runner = await registerUser(t.app);
      const { id } = await startSession(runner);
      for (const status of ['done', 5]) {
        const body = expectError(await send(runner, `PATCH /api/v1/sessions/${id}/end`, { elapsed_seconds: 0, status }), 400, 'validation_error');
        expect(body.error.details).toEqual([{ field: 'status', message: 'must be one of "completed", "abandoned"' }]);
        expect(body.message).toBe('status must be one of "completed", "abandoned"');
      }
    });

    it('reports the specific failure of a nullable field, not the null branch', async () => {
      const bad = await send(user, 'PATCH /api/v1/users/me', { display_name: 5 });
      expect(expectError(bad, 400, 'validation_error').error.details).toEqual([{ field: 'display_name', message: 'must be string or null' }]);
      const long = await send(user, 'PATCH /api/v1/users/me', { display_name: 'x'.repeat(101) });
      expect(expectError(long, 400, 'validation_error').error.details).toEqual([{ field: 'display_name', message: expect.stringMatching(/100/) }]);
    });

    it('names an unknown field in a resume body rather than the null branch', async () => {
      const res = await send(user, 'PATCH /api/v1/sessions/1/resume', '{"elapsed_seconds": 10}');
      expect(expectError(res, 400, 'validation_error').error.details).toEqual([{ field: 'elapsed_seconds', message: 'is not an allowed field' }]);
      const list = await send(user, 'PATCH /api/v1/sessions/1/resume', '[]');
      expect(expectError(list, 400, 'validation_error').error.details).toEqual([{ field: 'body', message: 'must be null or object' }]);
    });

    it('names a missing required field', async () => {
      const body = expectError(await send(user, 'POST /api/v1/sessions', {}), 400, 'validation_error');
      expect(body.error.details).toEqual([{ field: 'duration_seconds', message: expect.any(String) }]);
    });

    it('rejects a JSON array or a bare number as the body', async () => {
      for (const payload of ['[1500]', '1500', 'null', '"1500"']) {
        expectError(await send(user, 'POST /api/v1/sessions', payload), 400, 'validation_error');
      }
    });

    it('answers a missing body with a JSON content type as validation_error, not invalid_json', async () => {
      expectError(await send(user, 'POST /api/v1/sessions', undefined, { 'content-type': 'application/json' }), 400, 'validation_error');
    });

    it('rejects duration_seconds just outside 60..86400 and accepts the bounds', async () => {
      for (const duration_seconds of [59, 86401, 0, -1]) {
        expectError(await send(user, 'POST /api/v1/sessions', { duration_seconds }), 400, 'validation_error');
      }
      const other = await registerUser(t.app);
      for (const duration_seconds of [60, 86400]) {
        const { id } = await startSession(other, duration_seconds);
        const ended = await send(other, `PATCH /api/v1/sessions/${id}/end`, { elapsed_seconds: 0, status: 'abandoned' });
        expect(ended.statusCode, ended.body).toBe(200);
      }
    });

    it('parses query strings as their documented types and rejects what does not parse', async () => {
      expect((await send(user, 'GET /api/v1/sessions?limit=5')).statusCode).toBe(200);
      for (const query of ['limit=abc', 'limit=0', 'limit=101', 'limit=2.5', 'limit=1e1', 'limit=0x10', 'status=running', 'from=yesterday', 'unknown=1']) {
        expectError(await send(user, `GET /api/v1/sessions?${query}`), 400, 'validation_error');
      }
    });

    it('answers an :id that is not a positive integer with 400', async () => {
      for (const id of ['0', '-1', 'abc', '1.5', '1e3', '0x10', '%205', '99999999999']) {
        expectError(await send(user, `PATCH /api/v1/sessions/${id}/pause`, { elapsed_seconds: 0 }), 400, 'validation_error');
      }
    });
  });

  describe('400 invalid_json', () => {
    it('answers a body that is not parseable JSON', async () => {
      expectError(await send(user, 'POST /api/v1/sessions', '{"duration_seconds": 1500'), 400, 'invalid_json');
    });

    it('answers well-formed JSON with a __proto__ or constructor key as validation_error, not invalid_json', async () => {
      for (const payload of ['{"duration_seconds":1500,"__proto__":{"admin":true}}', '{"duration_seconds":1500,"constructor":{"prototype":{"admin":true}}}']) {
        expectError(await send(user, 'POST /api/v1/sessions', payload), 400, 'validation_error');
      }
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });

    it('answers malformed JSON on the public register route too', async () => {
      expectError(await send(t.app, 'POST /api/v1/auth/register', "{'email': 'a@b.co'}"), 400, 'invalid_json');
    });
  });

  describe('401 unauthorized', () => {
    it('answers a missing bearer token, with WWW-Authenticate: Bearer', async () => {
      const res = await send(t.app, 'GET /api/v1/sessions/active');
      expectError(res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('answers a malformed Authorization header', async () => {
      for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer short', `Token ${user.accessToken}`]) {
        const res = await send(t.app, 'GET /api/v1/users/me', undefined, { authorization });
        expectError(res, 401, 'unauthorized');
        expect(res.headers['www-authenticate']).toBe('Bearer');
      }
    });

    it('answers an unknown token', async () => {
      const res = await send(t.app, 'GET /api/v1/users/me', undefined, { authorization: 'Bearer fa_thisTokenWasNeverIssuedByThisServer0000000' });
      expectError(res, 401, 'unauthorized');
    });

    it('answers a refresh token used as an access token', async () => {
      expectError(await send(t.app, 'GET /api/v1/users/me', undefined, { authorization: `Bearer ${user.refreshToken}` }), 401, 'unauthorized');
    });

    it('answers an expired access token', async () => {
      const victim = await registerUser(t.app);
      expect((await send(victim, 'GET /api/v1/users/me')).statusCode).toBe(200);
      await t.handle.db.updateTable('access_tokens').set({ expires_at: '2020-01-01T00:00:00Z' }).where('user_id', '=', victim.id).execute();
      const res = await send(victim, 'GET /api/v1/users/me');
      expectError(res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('answers a token whose login was revoked', async () => {
      const victim = await registerUser(t.app);
      await t.handle.db.updateTable('logins').set({ revoked_at: '2026-01-01T00:00:00Z' }).where('user_id', '=', victim.id).execute();
      expectError(await send(victim, 'GET /api/v1/users/me'), 401, 'unauthorized');
    });

    it('is checked before the body is validated', async () => {
      expectError(await send(t.app, 'POST /api/v1/sessions', { duration_seconds: 'x' }), 401, 'unauthorized');
    });
  });

  describe('401 invalid_credentials', () => {
    it('gives the same answer for an unknown email and a wrong password', async () => {
      const unknown = await send(t.app, 'POST /api/v1/auth/login', { email: 'nobody@example.com', password: user.password });
      const wrong = await send(t.app, 'POST /api/v1/auth/login', { email: user.email, password: 'not the password' });
      const a = expectError(unknown, 401, 'invalid_credentials');
      const b = expectError(wrong, 401, 'invalid_credentials');
      expect(a).toEqual(b);
    });
  });

  describe('404 not_found', () => {
    it('answers an unknown route in the envelope', async () => {
      expectError(await send(t.app, 'GET /api/v1/nothing-here'), 404, 'not_found');
      expect((await send(t.app, 'GET /no/such/page')).statusCode).toBe(404);
    });

    it('answers an unknown method on a known path', async () => {
      expectError(await send(user, 'DELETE /api/v1/sessions/active'), 404, 'not_found');
    });

    it("answers another user's session exactly like a session that does not exist", async () => {
      const owner = await registerUser(t.app);
      const { id } = await startSession(owner);
      const theirs = await send(user, `PATCH /api/v1/sessions/${id}/pause`, { elapsed_seconds: 0 });
      const nobody = await send(user, 'PATCH /api/v1/sessions/2147483647/pause', { elapsed_seconds: 0 });
      expect(expectError(theirs, 404, 'not_found')).toEqual(expectError(nobody, 404, 'not_found'));
      // and the owner's session is untouched
      const active = await send(owner, 'GET /api/v1/sessions/active');
      expect(active.json().data).toMatchObject({ id, status: 'active', elapsed_seconds: 0 });
    });
  });

  describe('409 session_already_running, invalid_session_state, email_taken', () => {
    it('answers a second start with the running session in details.session', async () => {
      const runner = await registerUser(t.app);
      const first = await startSession(runner);
      const body = expectError(await send(runner, 'POST /api/v1/sessions', { duration_seconds: 2700 }), 409, 'session_already_running');
      expect(body.error.details).toEqual({ session: first });
    });

    it('answers a forbidden transition with {status, allowed_from}', async () => {
      const runner = await registerUser(t.app);
      const { id } = await startSession(runner);
      const body = expectError(await send(runner, `PATCH /api/v1/sessions/${id}/resume`), 409, 'invalid_session_state');
      expect(body.error.details).toEqual({ status: 'active', allowed_from: ['paused'] });
    });

    it('answers a taken email, whatever its case', async () => {
      const res = await send(t.app, 'POST /api/v1/auth/register', { email: `  ${user.email.toUpperCase()} `, password: 'another password' });
      expectError(res, 409, 'email_taken');
    });
  });

  describe('413 payload_too_large', () => {
    it('answers a body over 16 KiB', async () => {
      const payload = JSON.stringify({ duration_seconds: 1500, padding: 'x'.repeat(16 * 1024) });
      expectError(await send(user, 'POST /api/v1/sessions', payload), 413, 'payload_too_large');
    });

    it('lets a body of exactly 16 KiB through to validation', async () => {
      const prefix = '{"duration_seconds":1500,"padding":"';
      const payload = prefix + 'x'.repeat(16 * 1024 - prefix.length - 2) + '"}';
      expect(Buffer.byteLength(payload)).toBe(16 * 1024);
      expectError(await send(user, 'POST /api/v1/sessions', payload), 400, 'validation_error');
    });
  });

  describe('415 unsupported_media_type', () => {
    it('answers a body that is not JSON', async () => {
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const payload = contentType === 'application/x-www-form-urlencoded' ? 'duration_seconds=1500' : '1500';
        expectError(await send(user, 'POST /api/v1/sessions', payload, { 'content-type': contentType }), 415, 'unsupported_media_type');
      }
    });

    it('answers a body sent without any content type', async () => {
      const res = await send(user, 'POST /api/v1/sessions', '{"duration_seconds":1500}', { 'content-type': '' });
      expectError(res, 415, 'unsupported_media_type');
    });

    it('accepts a +json media type such as application/vnd.api+json', async () => {
      const runner = await registerUser(t.app);
      const res = await send(runner, 'POST /api/v1/sessions', '{"duration_seconds":1500}', { 'content-type': 'application/vnd.api+json' });
      expect(res.statusCode, res.body).toBe(201);
    });

    it('accepts JSON with a charset parameter', async () => {
      const runner = await registerUser(t.app);
      const res = await send(runner, 'POST /api/v1/sessions', '{"duration_seconds":1500}', { 'content-type': 'application/json; charset=utf-8' });
      expect(res.statusCode, res.body).toBe(201);
    });
  });

  describe('422 elapsed_seconds_invalid', () => {
    it('names the broken rule in the message and details', async () => {
      const runner = await registerUser(t.app);
      const { id } = await startSession(runner);
      const res = await send(runner, `PATCH /api/v1/sessions/${id}/end`, { elapsed_seconds: 1500, status: 'completed' });
      const body = expectError(res, 422, 'elapsed_seconds_invalid');
      expect(body.message).toMatch(/rule 3/);
      expect(body.error.details).toMatchObject({ field: 'elapsed_seconds', rule: 3 });
    });
  });
});

describe.each(testDatabases)('500 internal_error on $name', (database) => {
  it('carries details.request_id and no stack, SQL or path when the database is gone', async () => {
    const t = await createTestApp(database);
    try {
      const user = await registerUser(t.app);
      await t.handle.close();
      const res = await send(user, 'GET /api/v1/sessions/active', undefined, { 'x-request-id': 'boom-1' });
      const body = expectError(res, 500, 'internal_error');
      expect(body.error.details).toEqual({ request_id: 'boom-1' });
      expect(res.headers['x-request-id']).toBe('boom-1');
      expect(res.body).not.toMatch(/stack|select |\/work\/|node_modules|\.ts:\d+|Error:/i);
    } finally {
      await t.close();
    }
  });
});
