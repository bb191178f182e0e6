// The server hands out the built web client at `/` without getting in the API's way.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connect, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatestOrThrow } from '../../src/db/migrate.js';
import { buildWebClient } from './harness.js';

async function appWith(webRoot: string | null, dir: string): Promise<{ app: FastifyInstance; handle: DatabaseHandle }> {
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: `sqlite:${join(dir, `focus-${webRoot ? 'web' : 'none'}.db`)}` });
  const handle = connect(config.databaseUrl);
  await migrateToLatestOrThrow(handle.db);
  const app = await buildApp(config, handle, { webRoot });
  await app.ready();
  return { app, handle };
}

describe('serving the web client', () => {
  let dir: string;
  let webRoot: string;
  let withWeb: { app: FastifyInstance; handle: DatabaseHandle };
  let withoutWeb: { app: FastifyInstance; handle: DatabaseHandle };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'focus-web-'));
    webRoot = join(dir, 'web');
    await buildWebClient(webRoot);
    withWeb = await appWith(webRoot, dir);
    withoutWeb = await appWith(null, dir);
  }, 120_000);

  afterAll(async () => {
    for (const { app, handle } of [withWeb, withoutWeb]) {
      await app?.close();
      await handle?.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page at / with the security headers and no long-term caching', async () => {
    const res = await withWeb.app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.body).toContain('<div id="app"></div>');
  });

  it('serves the hashed assets as immutable', async () => {
    const [script] = readdirSync(join(webRoot, 'assets')).filter((f) => f.endsWith('.js'));
    const res = await withWeb.app.inject({ url: `/assets/${script}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('leaves unknown paths, API ones included, to the 404 envelope', async () => {
    for (const url of ['/api/v1/nope', '/nope', '/assets/missing.js']) {
      const res = await withWeb.app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toMatchObject({ success: false, error: { code: 'not_found' } });
    }
    const post = await withWeb.app.inject({ method: 'POST', url: '/', payload: {} });
    expect(post.statusCode).toBe(404);
  });

  it('keeps the API, health and docs routes working beside it', async () => {
    expect((await withWeb.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await withWeb.app.inject({ url: '/api/v1/sessions/active' })).statusCode).toBe(401);
    expect((await withWeb.app.inject({ url: '/api/v1/openapi.json' })).json()).toHaveProperty('paths');
  });

  it('starts without a built client and answers / with the 404 envelope', async () => {
    const res = await withoutWeb.app.inject({ url: '/' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await withoutWeb.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});
