// `npm start` runs the server bundled into one file by scripts/build-server.ts (dist/src/focus.mjs): a
// cold start loads one module instead of ~1,000. Bundled, it must answer exactly as the sources do,
// including what depends on file locations (swagger-ui's files, the web client) and on the packages
// left out of the bundle (better-sqlite3, argon2).
import { builtinModules } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTERNAL, buildServerBundle } from '../scripts/build-server.js';
import { type TestApp, createTestApp } from './app.js';
import { testDatabases } from './databases.js';
import { type ServerDatabase, type ServerProcess, call, serverDatabase, startServer, stopServer } from './reliability/server-process.js';

describe('the server bundle', () => {
  it('imports nothing from node_modules at run time but native addons and optional packages', async () => {
    const { metafile } = await buildServerBundle({ outfile: 'dist/test-bundles/imports.mjs', sourcemap: false, write: false });
    const outputs = Object.values(metafile.outputs);
    expect(outputs).toHaveLength(1);
    const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    const external = outputs[0]!.imports.filter((i) => i.external && !builtins.has(i.path)).map((i) => i.path);
    expect(new Set(external)).toEqual(new Set(EXTERNAL));
    // the server and its dependencies are inside (checked by name: a few of the ~1,000 files)
    const inputs = Object.keys(metafile.inputs);
    for (const part of ['src/server.ts', 'node_modules/fastify/', 'node_modules/kysely/', 'node_modules/@fastify/swagger-ui/', 'node_modules/pg/']) {
      expect(inputs.some((path) => path.includes(part)), part).toBe(true);
    }
  });

  it('does not rename functions at run time (esbuild keepNames: an Object.defineProperty per closure made)', async () => {
    const { outputFiles } = await buildServerBundle({ outfile: 'dist/test-bundles/names.mjs', sourcemap: false, write: false });
    const code = outputFiles?.[0]?.text ?? '';
    // Fastify makes closures for every hook phase of every request; with keepNames each went through
    // __name(), and GET /sessions/active cost about a quarter more server CPU (issue 12's bench)
    expect(code).not.toMatch(/\b__name\(/);
    // names still come from the sources where nothing clashes (an error's logged type, for one)
    expect(code).toMatch(/\bAppError = class extends Error\b|\bclass AppError extends Error\b/);
  });
});

// The same requests to the bundle (a process) and to the sources (buildApp, through inject).
const SAME: { method: 'GET' | 'POST'; url: string; body?: string; headers?: Record<string, string> }[] = [
  { method: 'GET', url: '/readyz' },
  { method: 'GET', url: '/api/v1/openapi.json' },
  { method: 'GET', url: '/docs' },
  { method: 'GET', url: '/docs/' },
  { method: 'GET', url: '/docs/json' },
  { method: 'GET', url: '/docs/static/index.html' },
  { method: 'GET', url: '/docs/static/swagger-initializer.js' },
  { method: 'GET', url: '/docs/static/swagger-ui.css' }, // read from @fastify/swagger-ui's package directory
  { method: 'GET', url: '/docs/static/logo.svg' },
  { method: 'GET', url: '/' }, // the web client (web/dist) when built, a 404 otherwise: the same either way
  { method: 'GET', url: '/nothing-here' },
  { method: 'GET', url: '/api/v1/sessions/active' },
  { method: 'POST', url: '/api/v1/auth/register', body: '{"email": "x@example.com",', headers: { 'content-type': 'application/json' } },
  { method: 'POST', url: '/api/v1/auth/register', body: '{"email": "x@example.com"}', headers: { 'content-type': 'application/json' } },
];
const COMPARED_HEADERS = ['content-type', 'content-length', 'cache-control', 'content-security-policy', 'location', 'allow'];

describe.each(testDatabases.map((d) => d.name))('the bundled server on %s', (dialect) => {
  let database: ServerDatabase;
  let server: ServerProcess;
  let source: TestApp;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await serverDatabase(dialect);
    server = await startServer({ DATABASE_URL: database.url });
    source = await createTestApp(testDatabases.find((d) => d.name === dialect)!);
    app = source.app;
  });
  afterAll(async () => {
    if (server) await stopServer(server, 'SIGTERM');
    await database?.drop();
    await source?.close();
  });

  it.each(SAME.map((request) => [`${request.method} ${request.url}${request.body ? ` ${request.body}` : ''}`, request] as const))(
    'answers %s as the sources do',
    async (_name, request) => {
      // fetch asks for gzip and br and decodes them: both sides ask for identity, so the lengths compare
      const headers = { 'accept-encoding': 'identity', ...request.headers };
      const bundled = await fetch(`${server.base}${request.url}`, { method: request.method, headers, body: request.body, redirect: 'manual' });
      const bundledBody = await bundled.text();
      const expected = await app.inject({ method: request.method, url: request.url, headers, payload: request.body });
      expect(bundled.status).toBe(expected.statusCode);
      expect(bundledBody).toBe(expected.body);
      for (const name of COMPARED_HEADERS) expect(bundled.headers.get(name) ?? undefined, name).toBe(expected.headers[name]?.toString());
    },
  );

  it('serves swagger-ui and the OpenAPI document', async () => {
    const docs = await fetch(`${server.base}/docs/static/swagger-ui-bundle.js`);
    expect(docs.status).toBe(200);
    expect((await docs.text()).length).toBeGreaterThan(100_000);
    const spec = await call(server.base, 'GET', '/api/v1/openapi.json');
    expect(spec.body.openapi).toBe('3.1.0');
    expect(Object.keys(spec.body.paths as object)).toContain('/api/v1/sessions');
  });

  it('registers (argon2), starts, reads and completes a session (the database driver)', async () => {
    const email = `bundle.${dialect}.${process.pid}.${Date.now()}@example.com`;
    const registered = await call(server.base, 'POST', '/api/v1/auth/register', { body: { email, password: 'correct horse battery' } });
    expect(registered.status).toBe(201);
    const token = (registered.body.data as { access_token: string }).access_token;
    const login = await call(server.base, 'POST', '/api/v1/auth/login', { body: { email, password: 'correct horse battery' } });
    expect(login.status).toBe(200);

    const started = await call(server.base, 'POST', '/api/v1/sessions', { token, body: { duration_seconds: 1500 }, now: '2026-03-02T08:00:00Z' });
    expect(started.status).toBe(201);
    const session = started.body.data as { id: number; status: string; started_at: string };
    expect(session).toMatchObject({ status: 'active', started_at: '2026-03-02T08:00:00Z' });

    const active = await call(server.base, 'GET', '/api/v1/sessions/active', { token, now: '2026-03-02T08:10:00Z' });
    expect(active.status).toBe(200);
    expect((active.body.data as { id: number }).id).toBe(session.id);

    const ended = await call(server.base, 'PATCH', `/api/v1/sessions/${session.id}/end`, {
      token,
      body: { elapsed_seconds: 1500, status: 'completed' },
      now: '2026-03-02T08:25:00Z',
    });
    expect(ended.status).toBe(200);
    expect(ended.body.data).toMatchObject({ id: session.id, status: 'completed' });
  });
});
