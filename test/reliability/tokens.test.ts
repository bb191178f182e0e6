// Token lifecycle (contract section 2): refresh rotation with reuse detection, logout, account deletion.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountsService } from '../../src/modules/accounts/accounts.service.js';
import { type TestApp, asUser, createTestApp, registerUser } from '../app.js';
import { testDatabases } from '../databases.js';
import { userTables } from './db-state.js';

describe.each(testDatabases)('tokens on $name', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(database);
  });
  afterEach(async () => {
    await t.close();
  });

  const refresh = (refreshToken: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: refreshToken }, headers });
  const me = (accessToken: string) =>
    t.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { authorization: `Bearer ${accessToken}` } });

  it('a refresh returns a new working pair and the old refresh token stops working', async () => {
    const user = await registerUser(t.app);
    const res = await refresh(user.refreshToken);
    expect(res.statusCode).toBe(200);
    const pair = res.json().data;
    expect(pair).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String), token_type: 'Bearer', expires_in: t.config.accessTokenTtlSeconds });
    expect(pair.refresh_token).not.toBe(user.refreshToken);
    expect((await me(pair.access_token)).statusCode).toBe(200);
    // the next rotation works from the new token
    expect((await refresh(pair.refresh_token)).statusCode).toBe(200);
  });

  it('reusing a rotated refresh token is 401 and revokes every token of that login', async () => {
    const user = await registerUser(t.app);
    const first = (await refresh(user.refreshToken)).json().data;
    const second = (await refresh(first.refresh_token)).json().data;

    const reuse = await refresh(user.refreshToken);
    expect(reuse.statusCode).toBe(401);
    expect(reuse.headers['www-authenticate']).toBe('Bearer');
    expect(reuse.json().error.code).toBe('unauthorized');

    for (const token of [user.accessToken, first.access_token, second.access_token]) expect((await me(token)).statusCode).toBe(401);
    expect((await refresh(second.refresh_token)).statusCode).toBe(401);
  });

  it('reuse detection leaves the other logins of the same user alone', async () => {
    const user = await registerUser(t.app);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password } });
    const other = login.json().data;
    await refresh(user.refreshToken);
    await refresh(user.refreshToken); // reuse: revokes the first login only
    expect((await me(other.access_token)).statusCode).toBe(200);
    expect((await refresh(other.refresh_token)).statusCode).toBe(200);
  });

  it('an unknown, expired or malformed refresh token is 401 and a missing one is 400', async () => {
    const user = await registerUser(t.app);
    expect((await refresh('fr_' + 'x'.repeat(43))).statusCode).toBe(401);
    await t.handle.db.updateTable('refresh_tokens').set({ expires_at: '2000-01-01T00:00:00Z' }).execute();
    expect((await refresh(user.refreshToken)).statusCode).toBe(401);
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('validation_error');
  });

  it('the sweep removes expired tokens and logins left without any, and keeps rotated tokens until they expire', async () => {
    const stale = await registerUser(t.app);
    const live = await registerUser(t.app);
    await refresh(live.refreshToken); // live's first refresh token is now rotated, not expired
    await t.handle.db.updateTable('access_tokens').set({ expires_at: '2000-01-01T00:00:00Z' }).where('user_id', '=', stale.id).execute();
    await t.handle.db.updateTable('refresh_tokens').set({ expires_at: '2000-01-01T00:00:00Z' }).where('user_id', '=', stale.id).execute();

    await accountsService(t.handle.db, t.config).deleteExpiredTokens(new Date());

    const count = async (table: 'logins' | 'access_tokens' | 'refresh_tokens', userId: number) =>
      (await t.handle.db.selectFrom(table).selectAll().where('user_id', '=', userId).execute()).length;
    expect([await count('logins', stale.id), await count('access_tokens', stale.id), await count('refresh_tokens', stale.id)]).toEqual([0, 0, 0]);
    expect([await count('logins', live.id), await count('access_tokens', live.id), await count('refresh_tokens', live.id)]).toEqual([1, 2, 2]);
    // the rotated token is still known, so presenting it is still caught as reuse
    expect((await refresh(live.refreshToken)).json().message).toMatch(/already used/);
  });

  it('an access token past its expiry is rejected', async () => {
    const user = await registerUser(t.app);
    await t.handle.db.updateTable('access_tokens').set({ expires_at: '2000-01-01T00:00:00Z' }).where('user_id', '=', user.id).execute();
    const res = await me(user.accessToken);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });

  it('logout without a body rejects the access token used and its refresh token at once', async () => {
    const user = await registerUser(t.app);
    const res = await user.request({ method: 'POST', url: '/api/v1/auth/logout' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ success: true, message: 'signed out', data: null });
    expect((await me(user.accessToken)).statusCode).toBe(401);
    expect((await refresh(user.refreshToken)).statusCode).toBe(401);
  });

  it('logout with the refresh token of another of my logins signs that one out too, but never another user', async () => {
    const user = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const second = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password } })).json().data;
    const third = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password } })).json().data;

    const res = await user.request({ method: 'POST', url: '/api/v1/auth/logout', payload: { refresh_token: second.refresh_token } });
    expect(res.statusCode).toBe(200);
    expect((await me(second.access_token)).statusCode).toBe(401);
    expect((await me(third.access_token)).statusCode).toBe(200);

    const asThird = asUser(t.app, { ...user, accessToken: third.access_token, refreshToken: third.refresh_token });
    await asThird.request({ method: 'POST', url: '/api/v1/auth/logout', payload: { refresh_token: stranger.refreshToken } });
    expect((await me(stranger.accessToken)).statusCode).toBe(200);
    expect((await refresh(stranger.refreshToken)).statusCode).toBe(200);
  });

  it('deleting the account removes every row of the user from every table and rejects their tokens', async () => {
    const user = await registerUser(t.app);
    const other = await registerUser(t.app);
    const now = new Date().toISOString().slice(0, 19) + 'Z';
    for (const who of [user, other]) {
      // a completed session (progress, totals, badges), a running one, and an idempotency record
      const started = await who.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 60 }, now: '2026-01-05T08:00:00Z' });
      expect(started.statusCode).toBe(201);
      const ended = await who.request({
        method: 'PATCH',
        url: `/api/v1/sessions/${started.json().data.id}/end`,
        payload: { elapsed_seconds: 60, status: 'completed' },
        now: '2026-01-05T08:01:00Z',
      });
      expect(ended.statusCode).toBe(200);
      const running = await who.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, headers: { 'idempotency-key': 'k1' }, now });
      expect(running.statusCode).toBe(201);
      await refresh(who.refreshToken);
    }
    const tables = await userTables(t.handle);
    // the reliability tables and the session lifecycle are there whatever else is
    expect(tables.map((x) => x.table)).toEqual(expect.arrayContaining(['users', 'logins', 'access_tokens', 'refresh_tokens', 'focus_sessions', 'idempotency_keys']));
    const rowsOf = async (userId: number) => {
      const counts: Record<string, number> = {};
      for (const { table, column } of tables) {
        const result = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${userId}`.execute(t.handle.db);
        counts[table] = Number(result.rows[0]?.n ?? 0);
      }
      return counts;
    };
    const before = await rowsOf(user.id);
    for (const table of ['users', 'logins', 'access_tokens', 'refresh_tokens', 'focus_sessions', 'idempotency_keys']) expect(before[table], table).toBeGreaterThan(0);
    const otherBefore = await rowsOf(other.id);

    const res = await user.request({ method: 'DELETE', url: '/api/v1/users/me' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ success: true, message: 'account deleted', data: null });

    const after = await rowsOf(user.id);
    for (const { table } of tables) expect(after[table], `${table} still holds rows of the deleted user`).toBe(0);
    expect(await rowsOf(other.id)).toEqual(otherBefore);
    expect((await me(user.accessToken)).statusCode).toBe(401);
    expect((await refresh(user.refreshToken)).statusCode).toBe(401);
    // the email is free again
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email: user.email, password: user.password } })).statusCode).toBe(201);
  });
});
