// Fuzz (fast-check, seeded): random, near-valid and malformed requests to every endpoint. Never a
// 5xx, always the contract's envelope, and the database unchanged by every rejected request.
// Replay a failure with FUZZ_SEED=<seed printed by fast-check>.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { type TestApp, type TestUser, createTestApp, registerUser } from '../app.js';
import { testDatabases } from '../databases.js';
import { snapshot } from './db-state.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const RUNS: Record<string, number> = { sqlite: 1500, postgres: 800 };
// The idempotency table records the answer itself (a stored 4xx is replayed); it is not user state.
const BOOKKEEPING = ['idempotency_keys'];

const BASE = Date.parse('2026-06-01T08:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
const ENDPOINTS: { method: Method; path: string }[] = [
  { method: 'POST', path: '/api/v1/auth/register' },
  { method: 'POST', path: '/api/v1/auth/login' },
  { method: 'POST', path: '/api/v1/auth/refresh' },
  { method: 'POST', path: '/api/v1/auth/logout' },
  { method: 'GET', path: '/api/v1/users/me' },
  { method: 'PATCH', path: '/api/v1/users/me' },
  { method: 'DELETE', path: '/api/v1/users/me' },
  { method: 'POST', path: '/api/v1/sessions' },
  { method: 'GET', path: '/api/v1/sessions' },
  { method: 'GET', path: '/api/v1/sessions/active' },
  { method: 'PATCH', path: '/api/v1/sessions/{id}/pause' },
  { method: 'PATCH', path: '/api/v1/sessions/{id}/resume' },
  { method: 'PATCH', path: '/api/v1/sessions/{id}/end' },
  { method: 'GET', path: '/api/v1/progress' },
  { method: 'GET', path: '/api/v1/stats' },
  { method: 'GET', path: '/api/v1/streaks' },
  { method: 'GET', path: '/api/v1/badges' },
  { method: 'GET', path: '/api/v1/home' },
  { method: 'GET', path: '/api/v1/openapi.json' },
  { method: 'GET', path: '/healthz' },
  { method: 'PUT', path: '/api/v1/sessions' },
  { method: 'DELETE', path: '/api/v1/sessions/{id}' },
  { method: 'GET', path: '/api/v1/{id}' },
];

const garbageText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '{', '{"a":', '[]', 'null', 'true', '"x"', '0', '{"duration_seconds":}', '\u0000', '%7B%7D', '{"__proto__":{"x":1}}'),
);

/** Values that are nearly right: the edges of every rule in the contract. */
const edgeNumber = fc.oneof(
  fc.integer({ min: -5, max: 90_000 }),
  fc.constantFrom(0, 59, 60, 1500, 86400, 86401, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER),
  fc.double({ noNaN: true }),
);
const anyValue = fc.oneof(edgeNumber, fc.string({ maxLength: 20 }), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));

/** Each endpoint's own fields with values at the edges of the contract's rules, sometimes one too many. */
const FIELDS: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
  '/api/v1/auth/register': {
    email: fc.oneof(fc.emailAddress(), fc.constantFrom('', 'no-at-sign', ' A@B.CO ', `${'a'.repeat(250)}@x.io`)),
    password: fc.oneof(fc.string({ minLength: 6, maxLength: 12 }), fc.constantFrom('correct horse battery', 'x'.repeat(129))),
    timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'Mars/Olympus', '+05:00', '../etc/passwd'),
    display_name: fc.oneof(fc.string({ maxLength: 110 }), fc.constant(null)),
  },
  '/api/v1/auth/login': {
    email: fc.oneof(fc.emailAddress(), fc.constantFrom('', 'no-at-sign')),
    password: fc.oneof(fc.string({ maxLength: 12 }), fc.constant('correct horse battery')),
  },
  '/api/v1/auth/refresh': { refresh_token: fc.oneof(fc.string({ maxLength: 60 }), fc.constant(`fr_${'A'.repeat(43)}`), fc.constant('alice')) },
  '/api/v1/auth/logout': { refresh_token: fc.oneof(fc.string({ maxLength: 60 }), fc.constant('alice')) },
  '/api/v1/users/me': {
    display_name: fc.oneof(fc.string({ maxLength: 110 }), fc.constant(null), fc.constant('   ')),
    timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'Mars/Olympus', '+05:00', 'America/Argentina/Buenos_Aires'),
  },
  '/api/v1/sessions': { duration_seconds: fc.oneof(fc.integer({ min: 60, max: 86400 }), edgeNumber) },
  '/api/v1/sessions/{id}/pause': { elapsed_seconds: fc.oneof(fc.integer({ min: -2, max: 3000 }), edgeNumber), status: fc.constantFrom('paused', 'active', 'completed') },
  '/api/v1/sessions/{id}/end': { elapsed_seconds: fc.oneof(fc.integer({ min: -2, max: 3000 }), edgeNumber), status: fc.constantFrom('completed', 'abandoned', 'paused', 'COMPLETED') },
};

function nearValidBody(path: string): fc.Arbitrary<unknown> {
  const fields = FIELDS[path] ?? {};
  const names = Object.keys(fields);
  return fc
    .record(
      Object.fromEntries(names.map((name) => [name, fc.oneof({ weight: 6, arbitrary: fields[name]! }, { weight: 1, arbitrary: anyValue })])),
      { requiredKeys: names.filter((_, i) => i === 0) },
    )
    .chain((value) => fc.oneof({ weight: 6, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: anyValue.map((extra) => ({ ...value, extra_field: extra })) }));
}

const bodyFor = (path: string) =>
  fc.oneof(
    { weight: 8, arbitrary: nearValidBody(path).map((value) => ({ kind: 'json' as const, value })) },
    { weight: 2, arbitrary: fc.jsonValue().map((value) => ({ kind: 'json' as const, value })) },
    { weight: 2, arbitrary: garbageText.map((value) => ({ kind: 'raw' as const, value })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'raw' as const, value: `{"display_name":"${'x'.repeat(17_000)}"}` }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  );

const request = fc.constantFrom(...ENDPOINTS).chain((endpoint) => fc.record({
  endpoint: fc.constant(endpoint),
  id: fc.oneof(
    { weight: 4, arbitrary: fc.constant('own') },
    { weight: 2, arbitrary: fc.constant('other') },
    { weight: 3, arbitrary: fc.oneof(fc.integer({ min: -3, max: 3_000_000_000 }).map(String), fc.constantFrom('0', '1e3', '0x10', '1.0', ' 1', '%00', '..', 'null', '9'.repeat(40), 'active')) },
  ),
  query: fc.option(
    fc.record(
      {
        limit: fc.oneof(fc.integer({ min: -1, max: 200 }).map(String), garbageText),
        cursor: garbageText,
        status: fc.constantFrom('completed', 'abandoned,completed', 'active', 'nope', ''),
        from: fc.oneof(fc.constant('2026-06-01T00:00:00Z'), fc.constant('2026-06-01'), garbageText),
        to: fc.oneof(fc.constant('2026-06-30T00:00:00Z'), fc.constant('2026-06-30'), garbageText),
      },
      { requiredKeys: [] },
    ),
    { nil: undefined },
  ),
  body: bodyFor(endpoint.path),
  contentType: fc.oneof(
    { weight: 12, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom(undefined, 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/vnd.api+json', 'garbage') },
  ),
  auth: fc.oneof({ weight: 8, arbitrary: fc.constant('alice') }, { weight: 1, arbitrary: fc.constantFrom('none', 'garbage', 'bob-refresh') }),
  now: fc.option(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 40 * 86400 }).map((s) => iso(BASE + s * 1000)) }, { weight: 1, arbitrary: garbageText }), { nil: undefined, freq: 8 }),
  idempotencyKey: fc.option(fc.oneof(fc.constantFrom('k1', 'k2'), fc.string({ maxLength: 300 })), { nil: undefined }),
}));

describe.each(testDatabases)('fuzz on $name', (database) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let bobSession: number;

  beforeAll(async () => {
    t = await createTestApp(database);
    bob = await registerUser(t.app);
    bobSession = (await bob.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: iso(BASE) })).json().data.id;
    alice = await registerUser(t.app);
  });
  afterAll(async () => {
    await t.close();
  });

  it(`never answers 5xx, always the envelope, and rejected requests change nothing (seed ${SEED})`, { timeout: 300_000 }, async () => {
    let state = await snapshot(t.handle, BOOKKEEPING);
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const own = await t.handle.db.selectFrom('focus_sessions').select('id').where('user_id', '=', alice.id).orderBy('id', 'desc').executeTakeFirst();
        const id = r.id === 'own' ? String(own?.id ?? 1) : r.id === 'other' ? String(bobSession) : r.id;
        const path = r.endpoint.path.replace('{id}', encodeURIComponent(id).replace(/%2F/gi, '/'));
        const query = r.query ? `?${new URLSearchParams(r.query as Record<string, string>).toString()}` : '';
        const headers: Record<string, string> = {};
        if (r.auth === 'alice') headers.authorization = `Bearer ${alice.accessToken}`;
        if (r.auth === 'garbage') headers.authorization = 'Bearer ???';
        if (r.auth === 'bob-refresh') headers.authorization = `Bearer ${bob.refreshToken}`;
        if (r.contentType) headers['content-type'] = r.contentType;
        if (r.now !== undefined) headers['x-test-now'] = r.now;
        if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
        let payload: string | undefined;
        if (r.body.kind === 'json') payload = JSON.stringify(r.body.value);
        if (r.body.kind === 'raw') payload = r.body.value;
        // the only real refresh token in play is alice's current one, so a rejection never trips reuse detection
        if (r.body.kind === 'json' && typeof r.body.value === 'object' && r.body.value !== null && (r.body.value as { refresh_token?: unknown }).refresh_token === 'alice') {
          payload = JSON.stringify({ ...(r.body.value as object), refresh_token: alice.refreshToken });
        }

        const res = await t.app.inject({ method: r.endpoint.method, url: path + query, headers, ...(payload !== undefined ? { payload } : {}) });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        const where = `${r.endpoint.method} ${path}${query} → ${res.statusCode} ${res.body.slice(0, 300)}`;

        expect(res.statusCode, where).toBeLessThan(500);
        expect(res.headers['x-request-id'], where).toBeTruthy();
        const json = JSON.parse(res.body) as Record<string, unknown>;
        if (res.statusCode === 200 && r.endpoint.path.endsWith('/openapi.json')) return; // the document itself, not an envelope
        expect(typeof json.message, where).toBe('string');
        if (res.statusCode < 400) {
          expect(json.success, where).toBe(true);
          expect('data' in json, where).toBe(true);
        } else {
          expect(json, where).toMatchObject({ success: false, error: { code: expect.any(String) } });
          const error = json.error as { code: keyof typeof ERROR_CODES; details: unknown };
          expect(Object.keys(ERROR_CODES), where).toContain(error.code);
          expect(ERROR_CODES[error.code], where).toBe(res.statusCode);
          expect('details' in error, where).toBe(true);
          expect(res.body, where).not.toMatch(/at \S+ \(|node_modules|\/work\/|sqlite|SELECT |select "/);
          if (error.code === 'unauthorized') expect(res.headers['www-authenticate'], where).toBe('Bearer');
          expect(await snapshot(t.handle, BOOKKEEPING), `state changed by a rejected request: ${where}`).toEqual(state);
          return;
        }
        // Accepted: the new state is the baseline. Keep alice signed in if the request rotated or ended her tokens.
        if (r.endpoint.path === '/api/v1/auth/refresh') {
          const pair = json.data as { access_token: string; refresh_token: string };
          alice = { ...alice, accessToken: pair.access_token, refreshToken: pair.refresh_token };
        }
        const stillIn = await t.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { authorization: `Bearer ${alice.accessToken}` } });
        if (stillIn.statusCode === 401) alice = await registerUser(t.app);
        state = await snapshot(t.handle, BOOKKEEPING);
      }),
      { seed: SEED, numRuns: RUNS[database.name] ?? 1000, endOnFailure: true },
    );
    if (process.env.FUZZ_VERBOSE) console.log("STATUSES", JSON.stringify([...statuses].sort()));
    // the run reached past validation into the domain, not only 400s
    expect([...statuses.keys()].filter((s) => s < 300).length, JSON.stringify([...statuses])).toBeGreaterThan(0);
    expect(statuses.get(404) ?? 0).toBeGreaterThan(0);
    expect((statuses.get(409) ?? 0) + (statuses.get(422) ?? 0), JSON.stringify([...statuses])).toBeGreaterThan(0);
  });
});
