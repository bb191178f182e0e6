// GET /metrics behind METRICS_TOKEN (a bearer token) when it is set; open, as before, when it is not.
import { describe, expect, it } from 'vitest';
import { registerUser, suiteApp } from './app.js';
import { testDatabases } from './databases.js';

const TOKEN = 'metrics-scrape-token-0123456789';

describe.each(testDatabases)('/metrics on $name', (database) => {
  describe('with METRICS_TOKEN set', () => {
    const t = suiteApp(database, { METRICS_TOKEN: TOKEN });
    const scrape = (authorization?: string) => t.app.inject({ method: 'GET', url: '/metrics', headers: authorization === undefined ? {} : { authorization } });

    it('answers the token, whatever the case of the scheme', async () => {
      for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`]) {
        const res = await scrape(authorization);
        expect(res.statusCode, authorization).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/plain/);
        expect(res.body).toContain('focus_http_requests_total');
      }
    });

    it('without it, with another token or with a user access token: 401 unauthorized in the envelope, WWW-Authenticate: Bearer', async () => {
      const user = await registerUser(t.app);
      for (const authorization of [undefined, '', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, `Bearer ${user.accessToken}`]) {
        const res = await scrape(authorization);
        expect(res.statusCode, String(authorization)).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer');
        expect(res.json()).toMatchObject({ success: false, error: { code: 'unauthorized', details: null } });
        expect(res.body).not.toContain('focus_http_requests_total');
      }
    });
  });

  describe('without METRICS_TOKEN', () => {
    const t = suiteApp(database);

    it('is open, as before', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('focus_http_requests_total');
    });
  });
});
