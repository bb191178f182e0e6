// Authorization: every protected endpoint (read from the OpenAPI document, so new routes are covered)
// with missing, malformed, forged, expired, revoked and deleted-user tokens, and with another user's ids.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestUser, createTestApp, registerUser } from '../app.js';
import { testDatabases } from '../databases.js';
import { snapshot } from './db-state.js';

interface Endpoint {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  path: string; // OpenAPI form: /api/v1/sessions/{id}/pause
}

/** A body each endpoint accepts, so that only the credentials can be what is wrong. */
function validBody(endpoint: Endpoint): unknown {
  if (endpoint.path.endsWith('/pause')) return { elapsed_seconds: 1 };
  if (endpoint.path.endsWith('/end')) return { elapsed_seconds: 1, status: 'abandoned' };
  if (endpoint.path.endsWith('/resume')) return {};
  if (endpoint.method === 'POST' && endpoint.path === '/api/v1/sessions') return { duration_seconds: 60 };
  if (endpoint.method === 'PATCH' && endpoint.path === '/api/v1/users/me') return { display_name: 'Mallory' };
  if (endpoint.path === '/api/v1/auth/logout') return {};
  if (endpoint.method === 'PATCH' && endpoint.path === '/api/v1/tags/{id}') return { archived: true };
  if (endpoint.method === 'PATCH' && endpoint.path === '/api/v1/sessions/{id}') return { note: 'mine now' };
  if (endpoint.method === 'POST' && endpoint.path === '/api/v1/tags') return { name: 'Mallory' };
  if (endpoint.path === '/api/v1/users/me/password') return { current_password: 'correct horse battery', new_password: 'another horse battery' };
  return undefined;
}

/** The operations the contract leaves open; the document marks them with `security: []`. */
const PUBLIC = [
  'GET /api/v1/openapi.json',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/password-reset',
  'POST /api/v1/auth/password-reset/confirm',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/auth/register',
];

describe.each(testDatabases)('authorization on $name', (database) => {
  let t: TestApp;
  let endpoints: Endpoint[];
  let publicOperations: string[];
  let alice: TestUser;
  let bob: TestUser;
  let bobSessions: number[];
  const base = '2026-04-01T08:00:00Z';

  beforeAll(async () => {
    t = await createTestApp(database);
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => ['get', 'post', 'patch', 'delete', 'put'].includes(method))
        .map(([method, op]) => ({ method: method.toUpperCase() as Endpoint['method'], path, open: op.security?.length === 0 })),
    ).filter((e) => e.path.startsWith('/api/v1/'));
    publicOperations = operations.filter((e) => e.open).map((e) => `${e.method} ${e.path}`).sort();
    endpoints = operations.filter((e) => !e.open).map(({ method, path }) => ({ method, path }));

    alice = await registerUser(t.app);
    bob = await registerUser(t.app);
    const done = (await bob.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 60 }, now: base })).json().data.id;
    await bob.request({ method: 'PATCH', url: `/api/v1/sessions/${done}/end`, payload: { elapsed_seconds: 60, status: 'completed' }, now: '2026-04-01T08:01:00Z' });
    const running = (await bob.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: '2026-04-01T09:00:00Z' })).json().data.id;
    await bob.request({ method: 'PATCH', url: `/api/v1/sessions/${running}/pause`, payload: { elapsed_seconds: 10 }, now: '2026-04-01T09:01:00Z' });
    bobSessions = [done, running];
    await alice.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: base });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the OpenAPI document lists the protected endpoints, each marked as needing a bearer token', () => {
    expect(publicOperations).toEqual(PUBLIC);
    const listed = endpoints.map((e) => `${e.method} ${e.path}`);
    expect(listed).toEqual(
      expect.arrayContaining([
        'GET /api/v1/users/me',
        'PATCH /api/v1/users/me',
        'DELETE /api/v1/users/me',
        'POST /api/v1/auth/logout',
        'POST /api/v1/sessions',
        'GET /api/v1/sessions',
        'GET /api/v1/sessions/active',
        'PATCH /api/v1/sessions/{id}/pause',
        'PATCH /api/v1/sessions/{id}/resume',
        'PATCH /api/v1/sessions/{id}/end',
      ]),
    );
  });

  it('every protected endpoint answers 401 with WWW-Authenticate to a missing, malformed, forged, expired, revoked or deleted-user token, and changes nothing', async () => {
    const expired = await registerUser(t.app);
    await t.handle.db.updateTable('access_tokens').set({ expires_at: '2000-01-01T00:00:00Z' }).where('user_id', '=', expired.id).execute();
    const revoked = await registerUser(t.app);
    expect((await revoked.request({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(200);
    const deleted = await registerUser(t.app);
    expect((await deleted.request({ method: 'DELETE', url: '/api/v1/users/me' })).statusCode).toBe(200);
    const rotated = await registerUser(t.app);
    const fresh = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: rotated.refreshToken } })).json().data;
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: rotated.refreshToken } }); // reuse: login revoked

    const credentials: Record<string, string | undefined> = {
      missing: undefined,
      'empty bearer': 'Bearer ',
      'another scheme': `Basic ${Buffer.from(`${alice.email}:${alice.password}`).toString('base64')}`,
      'bearer with junk characters': `Bearer ${alice.accessToken}!`,
      'two tokens': `Bearer ${alice.accessToken} ${alice.accessToken}`,
      forged: `Bearer fa_${randomBytes(32).toString('base64url')}`,
      'refresh token as access token': `Bearer ${alice.refreshToken}`,
      expired: `Bearer ${expired.accessToken}`,
      'revoked by logout': `Bearer ${revoked.accessToken}`,
      'of a deleted account': `Bearer ${deleted.accessToken}`,
      'revoked by refresh reuse': `Bearer ${fresh.access_token}`,
    };
    const before = await snapshot(t.handle);
    let tried = 0;
    for (const endpoint of endpoints) {
      const url = endpoint.path.replace('{id}', String(bobSessions[1]));
      const body = validBody(endpoint);
      for (const [label, authorization] of Object.entries(credentials)) {
        const res = await t.app.inject({
          method: endpoint.method,
          url,
          headers: { ...(authorization !== undefined ? { authorization } : {}), 'idempotency-key': `auth-${tried}` },
          ...(body !== undefined ? { payload: body as object } : {}),
        });
        expect(res.statusCode, `${endpoint.method} ${url} with a ${label} token`).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer');
        expect(res.json()).toMatchObject({ success: false, error: { code: 'unauthorized' } });
        tried += 1;
      }
    }
    expect(tried).toBeGreaterThanOrEqual(10 * Object.keys(credentials).length);
    expect(await snapshot(t.handle)).toEqual(before);
  });

  it("another user's session ids are 404 on every endpoint that takes an id, and that session is untouched", async () => {
    const withId = endpoints.filter((e) => e.path.includes('{id}'));
    expect(withId.length).toBeGreaterThanOrEqual(3);
    const before = await snapshot(t.handle);
    for (const endpoint of withId) {
      for (const id of bobSessions) {
        const res = await alice.request({
          method: endpoint.method,
          url: endpoint.path.replace('{id}', String(id)),
          now: '2026-04-01T09:30:00Z',
          ...(validBody(endpoint) !== undefined ? { payload: validBody(endpoint) as object } : {}),
        });
        expect(res.statusCode, `${endpoint.method} ${endpoint.path} with bob's session ${id}`).toBe(404);
        expect(res.json()).toMatchObject({ success: false, error: { code: 'not_found' } });
        expect(res.body).not.toContain(bob.email);
      }
    }
    expect(await snapshot(t.handle)).toEqual(before);
  });

  it("reads never show another user's data", async () => {
    for (const endpoint of endpoints.filter((e) => e.method === 'GET' && !e.path.includes('{id}'))) {
      const res = await alice.request({ method: 'GET', url: endpoint.path, now: '2026-04-01T09:30:00Z' });
      expect(res.statusCode, endpoint.path).toBe(200);
      expect(res.body, endpoint.path).not.toContain(bob.email);
      expect(res.body, endpoint.path).not.toContain(`"user_id":${bob.id}`);
    }
    const history = (await alice.request({ method: 'GET', url: '/api/v1/sessions?limit=100' })).json().data as { id: number }[];
    expect(history.map((s) => s.id).filter((id) => bobSessions.includes(id))).toEqual([]);
  });

  it("an Idempotency-Key another user used gives no access to that user's stored response", async () => {
    const key = 'shared-key';
    const bobEnd = await bob.request({
      method: 'PATCH',
      url: `/api/v1/sessions/${bobSessions[1]}/resume`,
      headers: { 'idempotency-key': key },
      now: '2026-04-01T09:05:00Z',
    });
    expect(bobEnd.statusCode).toBe(200);
    const res = await alice.request({
      method: 'PATCH',
      url: `/api/v1/sessions/${bobSessions[1]}/resume`,
      headers: { 'idempotency-key': key },
      now: '2026-04-01T09:05:00Z',
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });
});
