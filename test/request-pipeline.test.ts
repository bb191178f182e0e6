// The request log: one line per request at info, when it is answered, carrying what an operator
// needs (request id, method, url, client address, status, response time); the start line and the
// health probes' lines only at debug; a 5xx also logged with its error.
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { type TestUser, registerUser, testConfig } from './app.js';
import { testDatabases } from './databases.js';

type Line = Record<string, unknown> & { level: number; msg: string; request_id?: string };

async function appWithLog(database: (typeof testDatabases)[number], level: string) {
  const created = await database.create();
  const lines: Line[] = [];
  const app = await buildApp(testConfig(created.url, { LOG_LEVEL: level }), created.handle, {
    webRoot: null,
    logStream: { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
  });
  await app.ready();
  const close = async () => {
    await app.close();
    await created.drop();
  };
  return { app, handle: created.handle, lines, close };
}

describe.each(testDatabases)('request log on $name', (database) => {
  let t: Awaited<ReturnType<typeof appWithLog>> | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('writes one line per request at info: request id, method, url, client address, status and response time', async () => {
    t = await appWithLog(database, 'info');
    const answers = [
      await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json?probe=1', headers: { 'x-request-id': 'log-ok-1' } }),
      await t.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { 'x-request-id': 'log-401-1' } }),
      await t.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'x-request-id': 'log-401-2' }, payload: {} }),
      await t.app.inject({ method: 'GET', url: '/no/such/route', headers: { 'x-request-id': 'log-404-1' } }),
    ];
    expect(answers.map((res) => res.statusCode)).toEqual([200, 401, 401, 404]);
    const expected = [
      ['log-ok-1', 'GET', '/api/v1/openapi.json?probe=[redacted]', 200],
      ['log-401-1', 'GET', '/api/v1/users/me', 401],
      ['log-401-2', 'POST', '/api/v1/sessions', 401],
      ['log-404-1', 'GET', '/no/such/route', 404],
    ] as const;
    for (const [id, method, url, status] of expected) {
      const ofRequest = t.lines.filter((line) => line.request_id === id);
      expect(ofRequest, id).toHaveLength(1);
      const line = ofRequest[0]!;
      expect(line).toMatchObject({ level: 30, msg: 'request completed', req: { method, url, remoteAddress: '127.0.0.1' }, res: { statusCode: status } });
      expect(typeof line.responseTime, id).toBe('number');
      expect(line.responseTime as number, id).toBeGreaterThanOrEqual(0);
    }
    expect(t.lines.some((line) => line.msg === 'incoming request')).toBe(false);
    // the id in the log is the one in the X-Request-Id header, generated ones included
    const generated = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const id = generated.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.lines.filter((line) => line.request_id === id).map((line) => line.msg)).toEqual(['request completed']);
  });

  it('never writes a query-string value: a token sent as ?token=… appears in no line, at any level, whatever the answer', async () => {
    t = await appWithLog(database, 'trace');
    const user = await registerUser(t.app);
    const secret = 'Zq7secretTokenValue0123456789';
    const answers = [
      await user.request({ method: 'GET', url: `/api/v1/users/me?token=${secret}`, headers: { 'x-request-id': 'log-query-200' } }),
      await t.app.inject({ method: 'GET', url: `/api/v1/users/me?access_token=${secret}&x=1`, headers: { 'x-request-id': 'log-query-401' } }),
      await user.request({ method: 'GET', url: `/api/v1/sessions?limit=${secret}`, headers: { 'x-request-id': 'log-query-400' } }),
      await t.app.inject({ method: 'GET', url: `/no/such/route?${secret}`, headers: { 'x-request-id': 'log-query-404' } }),
    ];
    expect(answers.map((res) => res.statusCode)).toEqual([200, 401, 400, 404]);
    const logged = t.lines.filter((line) => String(line.request_id).startsWith('log-query-'));
    expect(logged.length).toBeGreaterThanOrEqual(8); // incoming and completed for each, at least
    for (const line of logged) expect(JSON.stringify(line)).not.toContain(secret);
    const urls = (id: string) => [...new Set(logged.filter((line) => line.request_id === id).map((line) => (line.req as { url?: string } | undefined)?.url).filter(Boolean))];
    expect(urls('log-query-200')).toEqual(['/api/v1/users/me?token=[redacted]']);
    expect(urls('log-query-401')).toEqual(['/api/v1/users/me?access_token=[redacted]&x=[redacted]']);
    expect(urls('log-query-400')).toEqual(['/api/v1/sessions?limit=[redacted]']);
    expect(urls('log-query-404')).toEqual(['/no/such/route?[redacted]']);
  });

  it('adds the start line at debug, before the completion line', async () => {
    t = await appWithLog(database, 'debug');
    await t.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { 'x-request-id': 'log-debug-1' } });
    const ofRequest = t.lines.filter((line) => line.request_id === 'log-debug-1');
    expect(ofRequest.map((line) => [line.level, line.msg])).toEqual([
      [20, 'incoming request'],
      [30, 'request completed'],
    ]);
    expect(ofRequest[0]).toMatchObject({ req: { method: 'GET', url: '/api/v1/users/me' } });
  });

  it('logs the probes (/healthz, /readyz) at debug only', async () => {
    const probes = ['/healthz', '/readyz', '/healthz?from=lb'];
    const linesOf = async (level: string) => {
      t = await appWithLog(database, level);
      for (const [i, url] of probes.entries()) {
        expect((await t.app.inject({ method: 'GET', url, headers: { 'x-request-id': `log-probe-${i}` } })).statusCode, url).toBe(200);
      }
      const lines = t.lines.filter((line) => line.request_id?.startsWith('log-probe-'));
      await t.close();
      t = undefined;
      return lines;
    };
    expect(await linesOf('info')).toEqual([]);
    const debug = await linesOf('debug');
    expect(debug.filter((line) => line.msg === 'request completed').map((line) => [line.level, (line.req as { url: string }).url])).toEqual(
      probes.map((url) => [20, url.replace('=lb', '=[redacted]')]),
    );
  });

  it('logs a 5xx with its error and still writes the completion line with the status', async () => {
    t = await appWithLog(database, 'info');
    const user: TestUser = await registerUser(t.app);
    await t.handle.close();
    const res = await user.request({ method: 'GET', url: '/api/v1/sessions/active', headers: { 'x-request-id': 'log-500-1' } });
    expect(res.statusCode).toBe(500);
    const ofRequest = t.lines.filter((line) => line.request_id === 'log-500-1');
    expect(ofRequest.map((line) => [line.level, line.msg])).toEqual([
      [50, 'unexpected error'],
      [30, 'request completed'],
    ]);
    expect(ofRequest[0]).toHaveProperty('err.message');
    expect(ofRequest[1]).toMatchObject({ res: { statusCode: 500 }, req: { url: '/api/v1/sessions/active' } });
  });
});
