// Register, login and /users/me over HTTP on a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, registerUser, uniqueEmail } from './app.js';
import { testDatabases } from './databases.js';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DEFAULT_SETTINGS = { daily_goal_seconds: 0, default_duration_seconds: 1500, week_starts_on: 'monday' };

/** A unique address of `length` characters whose local part and domain labels are within their limits (64 and 63). */
function emailOfLength(length: number): string {
  const local = uniqueEmail('long').split('@')[0] as string;
  const labels: string[] = [];
  // the labels and their dots fill what the local part and '.com' leave: 62 at a time, then the rest
  let left = length - local.length - '@'.length - '.com'.length;
  while (left > 63) {
    labels.push('b'.repeat(62));
    left -= 63;
  }
  labels.push('c'.repeat(left));
  return `${local}@${labels.join('.')}.com`;
}

describe.each(testDatabases)('accounts on $name', (database) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(database);
  });
  afterAll(async () => {
    await t.close();
  });

  const register = (payload: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: payload as object });
  const login = (payload: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: payload as object });
  const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { authorization: `Bearer ${token}` } });

  describe('POST /auth/register', () => {
    it('answers 201 with a token pair and the user, never a password hash', async () => {
      const email = uniqueEmail('ada');
      const res = await register({ email, password: 'correct horse battery', timezone: 'Europe/Berlin', display_name: 'Ada' });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ success: true, message: expect.any(String) });
      expect(body.data).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
        user: {
          id: expect.any(Number),
          email,
          display_name: 'Ada',
          timezone: 'Europe/Berlin',
          created_at: expect.stringMatching(TIMESTAMP),
          settings: DEFAULT_SETTINGS,
        },
      });
      expect(body.data.access_token).not.toBe(body.data.refresh_token);
      expect(res.body).not.toMatch(/argon2|password/i);
    });

    it('defaults the time zone to UTC and the display name to null', async () => {
      const res = await register({ email: uniqueEmail(), password: 'correct horse battery' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().data.user).toMatchObject({ timezone: 'UTC', display_name: null });
    });

    it('stores the email trimmed and lower-cased', async () => {
      const email = uniqueEmail('MixedCase');
      const res = await register({ email: `  ${email.toUpperCase()}  `, password: 'correct horse battery' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().data.user.email).toBe(email.toLowerCase());
    });

    it('stores the password only as an argon2id hash', async () => {
      const user = await registerUser(t.app, { password: 'a very secret phrase' });
      const row = await t.handle.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.password_hash).not.toContain('a very secret phrase');
    });

    it('issues an access token that works at once', async () => {
      const user = await registerUser(t.app);
      const res = await me(user.accessToken);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data.id).toBe(user.id);
    });

    it('answers 409 email_taken for an email already in use, in any case', async () => {
      const email = uniqueEmail('taken');
      expect((await register({ email, password: 'correct horse battery' })).statusCode).toBe(201);
      const again = await register({ email: email.toUpperCase(), password: 'another password 1' });
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json().error.code).toBe('email_taken');
    });

    it.each([
      ['an email without @', { email: 'not-an-email', password: 'correct horse battery' }, 'email'],
      ['an email of 255 characters', { email: 'a'.repeat(243) + '@example.com', password: 'correct horse battery' }, 'email'],
      ['a password of 7 characters', { email: 'x@example.com', password: '1234567' }, 'password'],
      ['a password of 129 characters', { email: 'x@example.com', password: 'p'.repeat(129) }, 'password'],
      ['a missing password', { email: 'x@example.com' }, 'password'],
      ['a numeric password', { email: 'x@example.com', password: 12345678 }, 'password'],
      ['an unknown time zone', { email: 'x@example.com', password: 'correct horse battery', timezone: 'Mars/Olympus_Mons' }, 'timezone'],
      ['an offset instead of a zone', { email: 'x@example.com', password: 'correct horse battery', timezone: '+05:00' }, 'timezone'],
      ['a blank display name', { email: 'x@example.com', password: 'correct horse battery', display_name: '   ' }, 'display_name'],
      ['an unknown field', { email: 'x@example.com', password: 'correct horse battery', role: 'admin' }, 'role'],
    ])('answers 400 validation_error for %s', async (_label, payload, field) => {
      const res = await register(payload);
      expect(res.statusCode, res.body).toBe(400);
      const body = res.json();
      expect(body.error.code).toBe('validation_error');
      expect(body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it('accepts an email of exactly 254 characters and a password of 8 and of 128', async () => {
      const long = emailOfLength(254);
      expect(long).toHaveLength(254);
      expect((await register({ email: long, password: 'p'.repeat(128) })).statusCode).toBe(201);
      expect((await register({ email: uniqueEmail(), password: '12345678' })).statusCode).toBe(201);
    });

    it.each([
      ['a local part of 65 characters', `${'a'.repeat(65)}@example.com`],
      ['a domain label of 64 characters', `ada@${'b'.repeat(64)}.example.com`],
      ['a last label of 64 characters', `ada@example.${'c'.repeat(64)}`],
    ])('answers 400 for %s, which no mail server takes', async (_label, email) => {
      const res = await register({ email, password: 'correct horse battery' });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_error', details: [{ field: 'email' }] });
    });

    it('accepts a local part of 64 characters and a domain label of 63', async () => {
      const local = `${Date.now()}.`.padEnd(64, 'a');
      const res = await register({ email: `${local}@${'b'.repeat(63)}.example.com`, password: 'correct horse battery' });
      expect(res.statusCode, res.body).toBe(201);
    });

    it.each([
      ['europe/berlin', 'Europe/Berlin'],
      ['AMERICA/NEW_YORK', 'America/New_York'],
      ['utc', 'UTC'],
      ['Asia/Kolkata', 'Asia/Kolkata'],
    ])('stores the time zone %s under its IANA name %s', async (sent, stored) => {
      const user = await registerUser(t.app, { timezone: sent });
      expect((await me(user.accessToken)).json().data.timezone).toBe(stored);
      const row = await t.handle.db.selectFrom('users').select('timezone').where('id', '=', user.id).executeTakeFirstOrThrow();
      expect(row.timezone).toBe(stored);
    });

    it.each([
      ['a NUL in the email', { email: 'ada\u0000@example.com' }, 'email'],
      ['a line feed before the email, refused before trimming', { email: '\nada@example.com' }, 'email'],
      ['a DEL in the email', { email: 'ada\u007f@example.com' }, 'email'],
      ['a NUL in the display name', { display_name: 'Ada\u0000' }, 'display_name'],
      ['a tab in the display name', { display_name: 'Ada\tLovelace' }, 'display_name'],
      ['a trailing carriage return in the display name', { display_name: 'Ada\r' }, 'display_name'],
    ])('answers 400 validation_error for %s, on every database', async (_label, fields, field) => {
      const res = await register({ email: uniqueEmail(), password: 'correct horse battery', ...fields });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_error', details: [expect.objectContaining({ field })] });
    });

    it('counts the display name in code points after NFC: 100 decomposed accents fit, 101 do not', async () => {
      const decomposed = 'e\u0301'.repeat(100);
      const res = await register({ email: uniqueEmail(), password: 'correct horse battery', display_name: decomposed });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().data.user.display_name).toBe('\u00e9'.repeat(100));
      const emoji = await register({ email: uniqueEmail(), password: 'correct horse battery', display_name: '😀'.repeat(100) });
      expect(emoji.statusCode, emoji.body).toBe(201);
      const over = await register({ email: uniqueEmail(), password: 'correct horse battery', display_name: 'e\u0301'.repeat(101) });
      expect(over.statusCode, over.body).toBe(400);
      expect(over.json().error.details).toEqual([{ field: 'display_name', message: expect.stringContaining('100') }]);
    });

    it('does not create the user when validation fails', async () => {
      const email = uniqueEmail('rejected');
      const res = await register({ email, password: 'correct horse battery', timezone: 'Nowhere/Land' });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_error', details: [{ field: 'timezone', message: expect.any(String) }] });
      const row = await t.handle.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
      expect(row).toBeUndefined();
    });
  });

  describe('POST /auth/login', () => {
    it('signs in with the email in any case and surrounding spaces', async () => {
      const user = await registerUser(t.app);
      const res = await login({ email: ` ${user.email.toUpperCase()} `, password: user.password });
      expect(res.statusCode, res.body).toBe(200);
      const data = res.json().data;
      expect(data).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: { id: user.id, email: user.email } });
      expect(data.access_token).not.toBe(user.accessToken);
      expect((await me(data.access_token)).statusCode).toBe(200);
    });

    it('keeps the earlier login working after a new one', async () => {
      const user = await registerUser(t.app);
      const second = await login({ email: user.email, password: user.password });
      expect(second.statusCode, second.body).toBe(200);
      expect(second.json().data.access_token).not.toBe(user.accessToken);
      expect((await me(second.json().data.access_token)).statusCode).toBe(200);
      expect((await me(user.accessToken)).statusCode).toBe(200);
    });

    it('answers 401 invalid_credentials for a wrong password', async () => {
      const user = await registerUser(t.app);
      const res = await login({ email: user.email, password: `${user.password}!` });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('invalid_credentials');
    });

    it('answers 401 invalid_credentials for an email that is not even valid', async () => {
      const res = await login({ email: 'nonsense', password: 'whatever123' });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('invalid_credentials');
    });

    it('answers 400 validation_error for a control character in the email, on every database', async () => {
      const res = await login({ email: 'ada\u0000@example.com', password: 'whatever123' });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_error', details: [expect.objectContaining({ field: 'email' })] });
    });

    it('answers 400 for an unknown field or a missing password', async () => {
      expect((await login({ email: 'a@example.com', password: 'x', remember: true })).statusCode).toBe(400);
      expect((await login({ email: 'a@example.com' })).statusCode).toBe(400);
    });
  });

  describe('GET and PATCH /users/me', () => {
    it('returns the signed-in user', async () => {
      const user = await registerUser(t.app, { display_name: 'Grace', timezone: 'America/New_York' });
      const res = await me(user.accessToken);
      expect(res.statusCode).toBe(200);
      expect(res.json().data).toEqual({
        id: user.id,
        email: user.email,
        display_name: 'Grace',
        timezone: 'America/New_York',
        created_at: expect.stringMatching(TIMESTAMP),
        settings: DEFAULT_SETTINGS,
      });
    });

    it('changes the display name and the time zone, and the change is kept', async () => {
      const user = await registerUser(t.app);
      const res = await user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: { display_name: '  Lin  ', timezone: 'Asia/Tokyo' } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data).toMatchObject({ display_name: 'Lin', timezone: 'Asia/Tokyo' });
      expect((await me(user.accessToken)).json().data).toMatchObject({ display_name: 'Lin', timezone: 'Asia/Tokyo' });
    });

    it('clears the display name with null and leaves the rest alone with {}', async () => {
      const user = await registerUser(t.app, { display_name: 'Temp', timezone: 'Europe/Paris' });
      const cleared = await user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: { display_name: null } });
      expect(cleared.json().data).toMatchObject({ display_name: null, timezone: 'Europe/Paris' });
      const unchanged = await user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: {} });
      expect(unchanged.statusCode).toBe(200);
      expect(unchanged.json().data).toMatchObject({ display_name: null, timezone: 'Europe/Paris' });
    });

    it('rejects an unknown time zone and keeps the old one', async () => {
      const user = await registerUser(t.app, { timezone: 'Europe/Berlin' });
      const res = await user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: { timezone: 'Europe/Atlantis' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_error', details: [{ field: 'timezone', message: expect.any(String) }] });
      expect((await me(user.accessToken)).json().data.timezone).toBe('Europe/Berlin');
    });

    it('stores a changed time zone under its IANA name', async () => {
      const user = await registerUser(t.app);
      const res = await user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: { timezone: 'europe/berlin' } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data.timezone).toBe('Europe/Berlin');
      expect((await me(user.accessToken)).json().data.timezone).toBe('Europe/Berlin');
    });

    it.each([
      ['a NUL', 'Lin\u0000'],
      ['a line feed, refused before trimming', 'Lin\n'],
      ['an escape', '\u001b[31mLin'],
    ])('refuses a display name with %s and keeps the old one', async (_label, name) => {
      const user = await registerUser(t.app, { display_name: 'Lin' });
      const res = await user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: { display_name: name } });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_error', details: [expect.objectContaining({ field: 'display_name' })] });
      expect((await me(user.accessToken)).json().data.display_name).toBe('Lin');
    });

    it('rejects changing the email or any other unknown field', async () => {
      const user = await registerUser(t.app);
      const res = await user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: { email: 'new@example.com' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details).toEqual([{ field: 'email', message: 'is not an allowed field' }]);
    });

    it('needs a bearer token', async () => {
      const res = await t.app.inject({ method: 'PATCH', url: '/api/v1/users/me', payload: { display_name: 'x' } });
      expect(res.statusCode).toBe(401);
    });
  });
});
