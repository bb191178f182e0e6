// Browsers (contract section 16): no API answer is cached, and pages on the origins in CORS_ORIGINS
// (only those) may call the API and read every answer, errors included.
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, registerUser, suiteApp } from './app.js';
import { testDatabases } from './databases.js';

const LISTED = 'https://app.example.com';
const ALSO_LISTED = 'http://localhost:5173';
const EXPOSED = 'X-Request-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Idempotent-Replayed, Content-Disposition, WWW-Authenticate';

/** Answers of every kind an /api/v1 client meets: 200, 201, 400, 401, 404, 415, 429 and 500 (the app's database closed last). */
async function answersOfEveryKind(t: TestApp, headers: Record<string, string>): Promise<Record<string, LightMyRequestResponse>> {
  const user = await registerUser(t.app);
  const as = (options: Parameters<typeof user.request>[0]) => user.request({ ...options, headers: { ...headers, ...options.headers } });
  const answers: Record<string, LightMyRequestResponse> = {
    200: await as({ method: 'GET', url: '/api/v1/users/me' }),
    201: await as({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 } }),
    400: await as({ method: 'POST', url: '/api/v1/sessions', payload: '{', headers: { 'content-type': 'application/json' } }),
    401: await t.app.inject({ method: 'GET', url: '/api/v1/users/me', headers }),
    404: await as({ method: 'GET', url: '/api/v1/no/such/route' }),
    415: await as({ method: 'POST', url: '/api/v1/sessions', payload: 'duration=1500', headers: { 'content-type': 'text/plain' } }),
  };
  // RATE_LIMIT_PER_MINUTE is 6 in these apps: the 7th authenticated request at the latest is refused
  for (let i = 0; i < 7 && answers[429]?.statusCode !== 429; i += 1) answers[429] = await as({ method: 'GET', url: '/api/v1/streaks' });
  const other = await registerUser(t.app);
  await t.handle.close();
  answers[500] = await other.request({ method: 'GET', url: '/api/v1/sessions/active', headers });
  for (const [status, res] of Object.entries(answers)) expect(res.statusCode, `${status}: ${res.body}`).toBe(Number(status));
  return answers;
}

describe.each(testDatabases)('Cache-Control on $name', (database) => {
  it('every /api/v1 answer is no-store, errors included (400, 401, 404, 415, 429, 500)', async () => {
    const t = await createTestApp(database, { RATE_LIMIT_PER_MINUTE: '6' });
    try {
      for (const [status, res] of Object.entries(await answersOfEveryKind(t, {}))) expect(res.headers['cache-control'], status).toBe('no-store');
    } finally {
      await t.close();
    }
  });

  describe('outside the API and for its document', () => {
    const t = suiteApp(database);

    it('the OpenAPI document and the pages outside /api/v1 are not marked no-store', async () => {
      for (const url of ['/api/v1/openapi.json', '/api/v1/openapi.json?v=2', '/healthz']) {
        const res = await t.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['cache-control'], url).toBeUndefined();
      }
    });

    it('an unknown path next to the API prefix is not under it', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1x' })).headers['cache-control']).toBeUndefined();
      expect((await t.app.inject({ method: 'GET', url: '/api/v1' })).headers['cache-control']).toBe('no-store');
    });
  });
});

describe.each(testDatabases)('CORS on $name', (database) => {
  it('a listed origin reads every answer, errors included: its origin allowed, Vary: Origin, the headers exposed, never credentials', async () => {
    const t = await createTestApp(database, { RATE_LIMIT_PER_MINUTE: '6', CORS_ORIGINS: `${LISTED},${ALSO_LISTED}` });
    try {
      for (const [status, res] of Object.entries(await answersOfEveryKind(t, { origin: ALSO_LISTED }))) {
        expect(res.headers['access-control-allow-origin'], status).toBe(ALSO_LISTED);
        expect(String(res.headers.vary).split(/,\s*/), status).toContain('Origin');
        expect(res.headers['access-control-expose-headers'], status).toBe(EXPOSED);
        expect(res.headers['access-control-allow-credentials'], status).toBeUndefined();
      }
    } finally {
      await t.close();
    }
  });

  describe('with CORS_ORIGINS set', () => {
    const t = suiteApp(database, { RATE_LIMIT_PER_MINUTE: '1', AUTH_RATE_LIMIT_PER_MINUTE: '1', CORS_ORIGINS: `${LISTED},${ALSO_LISTED}` });
    const preflight = (url: string, origin: string, method = 'POST') =>
      t.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
      });

    it('a preflight needs no token and answers 204 with the methods and headers allowed', async () => {
      for (const [url, method] of [
        ['/api/v1/sessions', 'POST'],
        ['/api/v1/sessions/7/end', 'PATCH'],
        ['/api/v1/users/me', 'DELETE'],
      ] as const) {
        const res = await preflight(url, LISTED, method);
        expect(res.statusCode, url).toBe(204);
        expect(res.body).toBe('');
        expect(res.headers['access-control-allow-origin']).toBe(LISTED);
        expect(res.headers['access-control-allow-methods']).toBe('GET, POST, PATCH, DELETE');
        expect(res.headers['access-control-allow-headers']).toBe('Authorization, Content-Type, Idempotency-Key');
        expect(res.headers['access-control-allow-credentials']).toBeUndefined();
        expect(res.headers['x-request-id']).toBeDefined();
      }
    });

    it('preflights are not rate limited (limits of 1 per minute here, per user and per IP)', async () => {
      for (let i = 0; i < 5; i += 1) {
        expect((await preflight('/api/v1/auth/login', LISTED)).statusCode).toBe(204);
        expect((await preflight('/api/v1/users/me', LISTED, 'PATCH')).statusCode).toBe(204);
      }
    });

    it('an origin not listed gets no CORS header on an answer, and its preflight is a 404', async () => {
      for (const origin of ['https://evil.example.com', 'https://app.example.com.evil.example', 'http://app.example.com', 'null']) {
        const answers = [await t.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { origin } }), await preflight('/api/v1/sessions', origin)];
        expect(answers.map((res) => res.statusCode)).toEqual([401, 404]);
        expect(answers[1]!.json().error.code).toBe('not_found');
        for (const res of answers) expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-')), origin).toEqual([]);
      }
    });
  });

  describe('without CORS_ORIGINS', () => {
    const t = suiteApp(database);

    it('no origin gets CORS headers and a preflight is a 404', async () => {
      const answers = [
        await t.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { origin: LISTED } }),
        await t.app.inject({ method: 'OPTIONS', url: '/api/v1/sessions', headers: { origin: LISTED, 'access-control-request-method': 'POST' } }),
      ];
      expect(answers.map((res) => res.statusCode)).toEqual([401, 404]);
      for (const res of answers) expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    });
  });
});
