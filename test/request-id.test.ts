// X-Request-Id: a sane caller value is echoed, anything else replaced by a generated id, on every answer.
import { describe, expect, it } from 'vitest';
import { registerUser, suiteApp } from './app.js';
import { testDatabases } from './databases.js';

describe.each(testDatabases)('X-Request-Id on $name', (database) => {
  const t = suiteApp(database);

  it('echoes a sane caller value', async () => {
    for (const id of ['abc-123', 'trace_id.2026:01', 'x'.repeat(128)]) {
      const res = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': id } });
      expect(res.headers['x-request-id']).toBe(id);
    }
  });

  it('replaces an overlong or unsafe value with a generated one', async () => {
    for (const id of ['x'.repeat(129), 'has space', 'semi;colon', '<script>', 'ünïcode']) {
      const res = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': id } });
      const given = res.headers['x-request-id'];
      expect(given).not.toBe(id);
      expect(given).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('generates a different id for each request without one', async () => {
    const a = (await t.app.inject({ method: 'GET', url: '/healthz' })).headers['x-request-id'];
    const b = (await t.app.inject({ method: 'GET', url: '/healthz' })).headers['x-request-id'];
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
  });

  it('is on every response: success, 400, 401, 404, 413, 415', async () => {
    const user = await registerUser(t.app);
    const responses = [
      await user.request({ method: 'GET', url: '/api/v1/sessions/active' }),
      await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 'x' } }),
      await t.app.inject({ method: 'GET', url: '/api/v1/users/me' }),
      await t.app.inject({ method: 'GET', url: '/nope' }),
      await user.request({ method: 'POST', url: '/api/v1/sessions', payload: 'x'.repeat(20_000), headers: { 'content-type': 'application/json' } }),
      await user.request({ method: 'POST', url: '/api/v1/sessions', payload: 'x', headers: { 'content-type': 'text/plain' } }),
      await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' }),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 400, 401, 404, 413, 415, 200]);
    for (const res of responses) expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
