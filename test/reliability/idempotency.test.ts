// Idempotency-Key (contract section 8): replay, reuse, in flight, stale takeover, retention, refresh.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IN_FLIGHT_TIMEOUT_MS, RETENTION_MS, deleteExpiredIdempotencyKeys, requestFingerprint } from '../../src/plugins/idempotency.js';
import { toTimestamp } from '../../src/time/clock.js';
import { type TestApp, createTestApp, registerUser } from '../app.js';
import { testDatabases } from '../databases.js';

describe.each(testDatabases)('Idempotency-Key on $name', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(database);
  });
  afterEach(async () => {
    await t.close();
  });

  const sessionCount = async (userId: number) =>
    (await t.handle.db.selectFrom('focus_sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n;

  it('a retry with the same key gets the first response byte for byte, marked replayed, and changes nothing', async () => {
    const user = await registerUser(t.app);
    const start = () => user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, headers: { 'idempotency-key': 'start-1' } });
    const first = await start();
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await start();
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(Number(await sessionCount(user.id))).toBe(1);
  });

  it('the same key and request in another key order is the same request', async () => {
    const user = await registerUser(t.app);
    const id = (await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: '2026-03-01T10:00:00Z' })).json().data.id;
    const end = (body: string) =>
      user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/end`, payload: body, headers: { 'content-type': 'application/json', 'idempotency-key': 'end-1' }, now: '2026-03-01T10:25:00Z' });
    const first = await end('{"elapsed_seconds":1500,"status":"completed"}');
    expect(first.statusCode).toBe(200);
    const again = await end('{"status":"completed","elapsed_seconds":1500}');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
  });

  it('bodies compare as parsed JSON: whitespace and key order do not count, string values do, to the character', async () => {
    const user = await registerUser(t.app);
    const patch = (body: string) =>
      user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: body, headers: { 'content-type': 'application/json', 'idempotency-key': 'parsed' } });
    const first = await patch('{"display_name":"Ada","timezone":"Europe/Berlin"}');
    expect(first.statusCode, first.body).toBe(200);
    for (const same of ['{ "timezone" : "Europe/Berlin",\n  "display_name" : "Ada" }\n', '{"display_name":"\\u0041da","timezone":"Europe/Berlin"}']) {
      const again = await patch(same);
      expect(again.headers['idempotent-replayed'], same).toBe('true');
      expect(again.body).toBe(first.body);
    }
    for (const other of ['{"display_name":"Ada ","timezone":"Europe/Berlin"}', '{"display_name":"ada","timezone":"Europe/Berlin"}', '{"display_name":"Ada"}']) {
      const res = await patch(other);
      expect(res.statusCode, other).toBe(422);
      expect(res.json().error.code).toBe('idempotency_key_reused');
    }
  });

  it('no body, an empty body and {} are one body', async () => {
    const user = await registerUser(t.app);
    const start = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: '2026-03-01T10:00:00Z' });
    const id = start.json().data.id;
    expect((await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 60 }, now: '2026-03-01T10:01:00Z' })).statusCode).toBe(200);
    const resume = (extra: { payload?: string; headers?: Record<string, string> }) =>
      user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/resume`, ...extra, headers: { 'idempotency-key': 'resume-1', ...extra.headers }, now: '2026-03-01T10:02:00Z' });
    const first = await resume({});
    expect(first.statusCode, first.body).toBe(200);
    for (const retry of [
      { payload: '', headers: { 'content-type': 'application/json' } },
      { payload: '{}', headers: { 'content-type': 'application/json' } },
      { payload: ' { } ' },
    ]) {
      const again = await resume(retry);
      expect(again.statusCode, JSON.stringify(retry)).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toBe(first.body);
    }
  });

  it('"at": null is the same as no "at"', async () => {
    const user = await registerUser(t.app);
    const start = (payload: string) =>
      user.request({ method: 'POST', url: '/api/v1/sessions', payload, headers: { 'content-type': 'application/json', 'idempotency-key': 'at-null' }, now: '2026-03-01T10:00:00Z' });
    const first = await start('{"duration_seconds":1500,"at":null}');
    expect(first.statusCode, first.body).toBe(201);
    const again = await start('{"duration_seconds":1500}');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    const other = await start('{"duration_seconds":1500,"at":"2026-03-01T09:59:00Z"}');
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    expect(Number(await sessionCount(user.id))).toBe(1);
  });

  it('headers are not compared: a retry with another X-Test-Now is the same request', async () => {
    const user = await registerUser(t.app);
    const patch = (now: string, accept: string) =>
      user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: { display_name: 'Grace' }, headers: { 'idempotency-key': 'clock', accept }, now });
    const first = await patch('2026-03-01T10:00:00Z', 'application/json');
    expect(first.statusCode).toBe(200);
    const again = await patch('2026-03-02T18:30:00Z', '*/*');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
  });

  it('concurrent retries with one key run the operation once: the others are replays or 409 in use', async () => {
    const user = await registerUser(t.app);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 900 }, headers: { 'idempotency-key': 'double-tap' } }),
      ),
    );
    const fresh = answers.filter((r) => r.statusCode === 201 && r.headers['idempotent-replayed'] === undefined);
    expect(fresh).toHaveLength(1);
    for (const res of answers) {
      if (res === fresh[0]) continue;
      if (res.statusCode === 201) expect(res.body).toBe(fresh[0]!.body);
      else expect(res.json().error.code).toBe('idempotency_key_in_use');
    }
    expect(Number(await sessionCount(user.id))).toBe(1);
  });

  it('a trailing slash does not make it another request', async () => {
    const user = await registerUser(t.app);
    const start = (url: string) => user.request({ method: 'POST', url, payload: { duration_seconds: 1500 }, headers: { 'idempotency-key': 'slash' } });
    const first = await start('/api/v1/sessions');
    expect(first.statusCode).toBe(201);
    const again = await start('/api/v1/sessions/');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('an error answer is replayed too: the first response is the answer for that key', async () => {
    const user = await registerUser(t.app);
    await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 } });
    const start = () => user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 60 }, headers: { 'idempotency-key': 'second' } });
    const first = await start();
    expect(first.statusCode).toBe(409);
    const again = await start();
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
  });

  it('the same key with another body, path or method is 422 idempotency_key_reused and changes nothing', async () => {
    const user = await registerUser(t.app);
    const first = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, headers: { 'idempotency-key': 'k' } });
    const id = first.json().data.id;
    const attempts = [
      { method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 2700 } },
      { method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 0 } },
      { method: 'PATCH', url: '/api/v1/users/me', payload: { display_name: 'Ada' } },
    ] as const;
    for (const attempt of attempts) {
      const res = await user.request({ ...attempt, headers: { 'idempotency-key': 'k' } });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ success: false, error: { code: 'idempotency_key_reused' } });
    }
    const session = await user.request({ method: 'GET', url: '/api/v1/sessions/active' });
    expect(session.json().data).toMatchObject({ id, status: 'active', duration_seconds: 1500 });
    expect((await user.request({ method: 'GET', url: '/api/v1/users/me' })).json().data.display_name).toBeNull();
  });

  it('keys are per user: two users may use the same key', async () => {
    const a = await registerUser(t.app);
    const b = await registerUser(t.app);
    for (const user of [a, b]) {
      const res = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, headers: { 'idempotency-key': 'same' } });
      expect(res.statusCode).toBe(201);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(res.json().data.user_id).toBe(user.id);
    }
  });

  it('a key still in flight is 409 idempotency_key_in_use; one left by a dead process is taken over after the timeout', async () => {
    const user = await registerUser(t.app);
    const body = { duration_seconds: 1500 };
    const marker = (createdAt: Date, key: string) => ({
      scope: `user:${user.id}`,
      key,
      user_id: user.id,
      fingerprint: requestFingerprint('POST', '/api/v1/sessions', body),
      response_status: null,
      response_type: null,
      response_body: null,
      created_at: toTimestamp(createdAt),
      expires_at: toTimestamp(new Date(createdAt.getTime() + RETENTION_MS)),
    });
    await t.handle.db.insertInto('idempotency_keys').values(marker(new Date(), 'busy')).execute();
    const busy = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: body, headers: { 'idempotency-key': 'busy' } });
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ success: false, error: { code: 'idempotency_key_in_use' } });
    expect(Number(await sessionCount(user.id))).toBe(0);

    await t.handle.db.insertInto('idempotency_keys').values(marker(new Date(Date.now() - IN_FLIGHT_TIMEOUT_MS - 2000), 'stale')).execute();
    const taken = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: body, headers: { 'idempotency-key': 'stale' } });
    expect(taken.statusCode).toBe(201);
    const replay = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: body, headers: { 'idempotency-key': 'stale' } });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(taken.body);
  });

  it('an expired record no longer answers: the key works as new, and the cleanup removes expired rows', async () => {
    const user = await registerUser(t.app);
    const patch = (name: string) => user.request({ method: 'PATCH', url: '/api/v1/users/me', payload: { display_name: name }, headers: { 'idempotency-key': 'p' } });
    expect((await patch('One')).statusCode).toBe(200);
    await t.handle.db.updateTable('idempotency_keys').set({ expires_at: '2000-01-01T00:00:00Z' }).execute();
    const fresh = await patch('Two');
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect(fresh.json().data.display_name).toBe('Two');

    await t.handle.db.updateTable('idempotency_keys').set({ expires_at: '2000-01-01T00:00:00Z' }).execute();
    await deleteExpiredIdempotencyKeys(t.handle.db, new Date());
    expect(await t.handle.db.selectFrom('idempotency_keys').selectAll().execute()).toEqual([]);
  });

  it('a key longer than 255 characters is 400 validation_error; 255 is fine', async () => {
    const user = await registerUser(t.app);
    const long = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 60 }, headers: { 'idempotency-key': 'k'.repeat(256) } });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.code).toBe('validation_error');
    expect(Number(await sessionCount(user.id))).toBe(0);
    const max = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 60 }, headers: { 'idempotency-key': 'k'.repeat(255) } });
    expect(max.statusCode).toBe(201);
  });

  it('GET ignores the header', async () => {
    const user = await registerUser(t.app);
    const res = await user.request({ method: 'GET', url: '/api/v1/users/me', headers: { 'idempotency-key': 'x'.repeat(300) } });
    expect(res.statusCode).toBe(200);
  });

  it('a refresh retried with the same key returns the same pair instead of tripping reuse detection, and the stored pair is encrypted', async () => {
    const user = await registerUser(t.app);
    const refresh = (key?: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: user.refreshToken }, headers: key ? { 'idempotency-key': key } : {} });
    const first = await refresh('r1');
    expect(first.statusCode).toBe(200);
    const retry = await refresh('r1');
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toBe(first.body);
    const pair = first.json().data;
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { authorization: `Bearer ${pair.access_token}` } });
    expect(me.statusCode).toBe(200);

    const stored = await t.handle.db.selectFrom('idempotency_keys').selectAll().where('key', '=', 'r1').executeTakeFirstOrThrow();
    expect(stored.scope).toMatch(/^login:\d+$/);
    expect(stored.response_body).not.toContain(pair.refresh_token);
    expect(stored.response_body).not.toContain(pair.access_token);

    // a new key is a new refresh of an already rotated token: reuse
    expect((await refresh('r2')).statusCode).toBe(401);
  });

  it('register and login ignore the header (no user to scope it to)', async () => {
    const email = `idem.${Date.now()}@example.com`;
    const register = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email, password: 'long enough pw' }, headers: { 'idempotency-key': 'reg' } });
    expect(register.statusCode).toBe(201);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email, password: 'long enough pw' }, headers: { 'idempotency-key': 'reg' } });
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });
});
