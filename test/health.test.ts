// /healthz answers while the process runs; /readyz only while the database is reachable and migrated.
import { describe, expect, it } from 'vitest';
import { createTestApp, suiteApp } from './app.js';
import { testDatabases } from './databases.js';

describe.each(testDatabases)('health on $name', (database) => {
  const t = suiteApp(database);

  it('answers /healthz with 200', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ success: true, data: { status: 'ok' } });
  });

  it('answers /readyz with 200 and the dialect while the database is reachable and migrated', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ success: true, data: { status: 'ready', database: database.name } });
  });

  it('answers /readyz with 503 once the database is closed, while /healthz stays 200', async () => {
    const own = await createTestApp(database);
    try {
      expect((await own.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      await own.handle.close();
      const res = await own.app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ success: false, error: { code: 'service_unavailable' } });
      expect((await own.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await own.close();
    }
  });
});
