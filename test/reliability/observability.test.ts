// /metrics (Prometheus text), security headers (all of helmet's, with its values) on every response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../../src/plugins/security.js';
import { type TestApp, createTestApp, registerUser } from '../app.js';
import { testDatabases } from '../databases.js';

describe.each(testDatabases)('observability on $name', (database) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(database);
  });
  afterAll(async () => {
    await t.close();
  });

  it('/metrics counts requests and latency by route pattern and status, and shows the DB pool', async () => {
    const user = await registerUser(t.app);
    const id = (await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: '2026-02-18T08:00:00Z' })).json().data.id;
    await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 60 }, now: '2026-02-18T08:01:00Z' });
    await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 60 }, now: '2026-02-18T08:01:00Z' });
    await t.app.inject({ method: 'GET', url: '/no/such/route' });

    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toContain('focus_http_requests_total{method="PATCH",route="/api/v1/sessions/:id/pause",status="200"} 1');
    expect(text).toContain('focus_http_requests_total{method="PATCH",route="/api/v1/sessions/:id/pause",status="409"} 1');
    expect(text).toContain('focus_http_requests_total{method="POST",route="/api/v1/sessions",status="201"} 1');
    expect(text).toContain('focus_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).not.toContain(`/api/v1/sessions/${id}/pause`); // the raw URL never becomes a label
    expect(text).toMatch(/focus_http_request_duration_seconds_bucket\{le="\+Inf",method="POST",route="\/api\/v1\/sessions",status="201"\} 1/);
    expect(text).toMatch(/focus_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/sessions",status="201"\} 1/);
    expect(text).toMatch(/focus_db_pool_connections\{state="total"\} \d+/);
    expect(text).toMatch(/focus_db_pool_connections\{state="idle"\} \d+/);
    expect(text).toMatch(/focus_db_pool_connections\{state="waiting"\} 0/);
    expect(text).toContain(`focus_db_info{dialect="${database.name}"} 1`);
    expect(text).toContain('focus_process_resident_memory_bytes');
  });

  it('every response carries the security headers, API errors included', async () => {
    const expected = securityHeaders().set;
    expect(expected.length).toBeGreaterThanOrEqual(12);
    // the last one is refused by the first hook (a bad test clock): 400, and still the headers
    const requests: { url: string; headers?: Record<string, string> }[] = [
      { url: '/api/v1/users/me' },
      { url: '/healthz' },
      { url: '/no/such/route' },
      { url: '/docs/static/index.html' },
      { url: '/healthz', headers: { 'x-test-now': 'yesterday' } },
    ];
    for (const { url, headers } of requests) {
      const res = await t.app.inject({ method: 'GET', url, ...(headers ? { headers } : {}) });
      if (headers) expect(res.statusCode).toBe(400);
      for (const [name, value] of expected) expect(res.headers[name.toLowerCase()], `${url} ${name}`).toBe(value);
      expect(res.headers['x-powered-by'], url).toBeUndefined();
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['strict-transport-security'], url).toMatch(/max-age=\d+/);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).not.toContain('unsafe-eval');
    }
  });
});
