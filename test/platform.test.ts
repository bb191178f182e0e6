// The platform around the API: OpenAPI and /docs, health checks, X-Request-Id, the process entry
// (startup, bad configuration, the request id in the log) and `npm run migrate` on both dialects.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.js';
import { migrations } from '../src/db/migrations/index.js';
import { type TestApp, createTestApp, registerUser } from './app.js';
import { postgresEnabled, testDatabases } from './databases.js';

const ROOT = new URL('..', import.meta.url).pathname;

/** Every route of the contract (sections 2, 3, 6 and 8), as OpenAPI writes paths. */
const CONTRACT_ROUTES: Array<[string, string]> = [
  ['post', '/api/v1/auth/register'],
  ['post', '/api/v1/auth/login'],
  ['post', '/api/v1/auth/refresh'],
  ['post', '/api/v1/auth/logout'],
  ['get', '/api/v1/users/me'],
  ['patch', '/api/v1/users/me'],
  ['delete', '/api/v1/users/me'],
  ['post', '/api/v1/sessions'],
  ['get', '/api/v1/sessions/active'],
  ['patch', '/api/v1/sessions/{id}/pause'],
  ['patch', '/api/v1/sessions/{id}/resume'],
  ['patch', '/api/v1/sessions/{id}/end'],
  ['get', '/api/v1/sessions'],
  ['get', '/api/v1/progress'],
  ['get', '/api/v1/streaks'],
  ['get', '/api/v1/home'],
  ['get', '/api/v1/badges'],
  ['get', '/api/v1/stats'],
  ['get', '/healthz'],
  ['get', '/readyz'],
];

interface OpenApiOperation {
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, unknown>;
}
type OpenApiDoc = { openapi: string; info: { title: string }; paths: Record<string, Record<string, OpenApiOperation>> };

describe.each(testDatabases)('the platform on $name', (database) => {
  let t: TestApp;
  let doc: OpenApiDoc;

  beforeAll(async () => {
    t = await createTestApp(database);
    doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('OpenAPI and /docs', () => {
    it('serves OpenAPI 3.1 at /api/v1/openapi.json without a token', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(doc.openapi).toMatch(/^3\.1\./);
      expect(doc.info.title).toBe('Focus API');
    });

    it.each(CONTRACT_ROUTES)('lists %s %s', (method, path) => {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    });

    it('lists only routes the server really answers', () => {
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const method of Object.keys(operations)) {
          const url = path.replace('{id}', ':id');
          expect(t.app.hasRoute({ method: method.toUpperCase() as 'GET', url }), `${method} ${path}`).toBe(true);
        }
      }
    });

    it('documents bearer auth and the error envelope on every /api/v1 operation', () => {
      for (const [path, operations] of Object.entries(doc.paths)) {
        if (!path.startsWith('/api/v1/')) continue;
        for (const [method, operation] of Object.entries(operations)) {
          if (!path.startsWith('/api/v1/auth/')) expect(operation.security, `${method} ${path}`).toEqual([{ bearer: [] }]);
          for (const status of ['400', '401', '500']) expect(operation.responses[status], `${method} ${path} ${status}`).toBeDefined();
        }
      }
    });

    it('documents the Idempotency-Key header on every route that honours it, and only there', () => {
      for (const [path, operations] of Object.entries(doc.paths)) {
        if (!path.startsWith('/api/v1/')) continue;
        for (const [method, operation] of Object.entries(operations)) {
          const honours = ['post', 'patch', 'delete'].includes(method) && !/\/auth\/(register|login)$/.test(path);
          const documented = (operation.parameters ?? []).some((p) => p.in === 'header' && p.name === 'idempotency-key');
          expect(documented, `${method} ${path}`).toBe(honours);
        }
      }
    });

    it('documents the session schemas generated from the route schemas', () => {
      const start = doc.paths['/api/v1/sessions']!.post!;
      const body = start.requestBody!.content['application/json']!.schema;
      expect(body).toMatchObject({
        type: 'object',
        additionalProperties: false,
        required: ['duration_seconds'],
        properties: { duration_seconds: { type: 'integer', minimum: 60, maximum: 86400 } },
      });
      expect(Object.keys(start.responses)).toEqual(expect.arrayContaining(['201', '409']));
      const end = doc.paths['/api/v1/sessions/{id}/end']!.patch!;
      expect(Object.keys(end.responses)).toEqual(expect.arrayContaining(['200', '404', '409', '422']));
      expect(end.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path' })]));
      const history = doc.paths['/api/v1/sessions']!.get!;
      expect(history.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'cursor', 'status', 'from', 'to']));
    });

    it('answers /docs with an HTML page', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/docs' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toMatch(/<html/i);
    });
  });

  describe('health', () => {
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

  describe('X-Request-Id', () => {
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
});

describe('draining on close', () => {
  it('answers a request that arrives while the app closes with the contract 503 and X-Request-Id', async () => {
    const t = await createTestApp(testDatabases[0]!);
    try {
      const { port } = new URL(await t.app.listen({ port: 0, host: '127.0.0.1' }));
      const socket = connectTcp(Number(port), '127.0.0.1');
      await once(socket, 'connect');
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      // request A is in flight (its body half sent), so close() has to wait for it ...
      const body = '{"email":"nobody@example.com","password":"wrong password"}';
      socket.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: focus\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const closed = t.app.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      // ... and request B arrives on the same connection after closing began
      socket.write(`${body.slice(10)}GET /healthz HTTP/1.1\r\nHost: focus\r\nX-Request-Id: drain-b\r\n\r\n`);
      await waitFor(() => (/x-request-id: drain-b[\s\S]*\}$/i.test(received) ? true : undefined), 'the answer to request B', 10_000);
      const [answerA, answerB] = received.split(/(?=HTTP\/1\.1 )/);
      expect(answerA).toMatch(/^HTTP\/1\.1 401 /);
      expect(answerB).toMatch(/^HTTP\/1\.1 503 /);
      expect(answerB).toMatch(/\r\nconnection: close\r\n/i);
      expect(JSON.parse(answerB!.split('\r\n\r\n')[1]!)).toEqual({
        success: false,
        message: expect.any(String),
        error: { code: 'service_unavailable', details: null },
      });
      socket.destroy();
      await closed;
    } finally {
      await t.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The process itself: spawned as `node --import tsx src/server.ts`, as a deployment would run it.

interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function spawnServer(env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor<T>(probe: () => T | undefined, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the server process', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'focus-platform-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with PORT=0, logs the request id of each request, and exits 0 on SIGTERM', { timeout: 90_000 }, async () => {
    const server = spawnServer({ PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'focus.db')}`, LOG_LEVEL: 'info' });
    try {
      const url = await waitFor(() => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(server.stdout())?.[1], 'the listening line');
      const res = await fetch(`${url}/readyz`, { headers: { 'x-request-id': 'platform-trace-42' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBe('platform-trace-42');
      const lines = await waitFor(() => {
        const found = server
          .stdout()
          .split('\n')
          .filter((line) => line.includes('platform-trace-42'))
          .map((line) => JSON.parse(line) as { request_id?: string; msg?: string; level?: number; responseTime?: unknown });
        return found.some((l) => l.msg === 'request completed') ? found : undefined;
      }, 'the request log line');
      // at info, one line per request, written when it is answered
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 30,
        msg: 'request completed',
        request_id: 'platform-trace-42',
        req: { method: 'GET', url: '/readyz', remoteAddress: '127.0.0.1' },
        res: { statusCode: 200 },
      });
      expect(typeof lines[0]?.responseTime).toBe('number');
      expect(server.stdout()).not.toContain('"msg":"incoming request"');
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.stderr()).toBe('');
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it.concurrent.for<[string, Record<string, string>]>([
    ['PORT', { PORT: 'not-a-port' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/focus' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['FOCUS_TEST_CLOCK', { FOCUS_TEST_CLOCK: '1', NODE_ENV: 'production' }],
  ])('stops with exit code 1 and one stderr line naming %s', { timeout: 90_000 }, async ([variable, env], { expect }) => {
    const server = spawnServer({ DATABASE_URL: `sqlite:${join(dir, 'never.db')}`, ...env });
    expect(await server.exited).toBe(1);
    const lines = server.stderr().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(server.stdout()).toBe('');
  });
});

// ---------------------------------------------------------------------------------------------
// npm run migrate

function runMigrate(databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'migrate'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const ALL_MIGRATIONS = Object.keys(migrations);

describe('npm run migrate', () => {
  it('applies every migration to a new SQLite file, then finds it up to date', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'focus-migrate-'));
    try {
      const url = `sqlite:${join(dir, 'nested', 'focus.db')}`;
      const first = await runMigrate(url);
      expect(first, first.stderr).toMatchObject({ code: 0, stdout: `applied: ${ALL_MIGRATIONS.join(', ')}\n` });
      const second = await runMigrate(url);
      expect(second).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
      const handle = connect(url);
      try {
        expect(await handle.db.selectFrom('focus_sessions').select('id').execute()).toEqual([]);
      } finally {
        await handle.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with one line for an invalid DATABASE_URL', { timeout: 90_000 }, async () => {
    const res = await runMigrate('ftp://example.com/focus');
    expect(res.code).toBe(1);
    expect(res.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining('DATABASE_URL')]);
  });

  it.skipIf(!postgresEnabled)('applies every migration to a new PostgreSQL database, then finds it up to date', { timeout: 90_000 }, async () => {
    const admin = new URL(process.env.TEST_DATABASE_URL!);
    const name = `focus_migrate_${randomBytes(4).toString('hex')}`;
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`create database ${name}`);
    try {
      const url = new URL(admin.toString());
      url.pathname = `/${name}`;
      const first = await runMigrate(url.toString());
      expect(first, first.stderr).toMatchObject({ code: 0, stdout: `applied: ${ALL_MIGRATIONS.join(', ')}\n` });
      const second = await runMigrate(url.toString());
      expect(second).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
      const handle = connect(url.toString());
      try {
        expect(await handle.db.selectFrom('focus_sessions').select('id').execute()).toEqual([]);
      } finally {
        await handle.close();
      }
    } finally {
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    }
  });
});
