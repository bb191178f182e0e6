// Starting and stopping: the process entry as a deployment runs it (`node --import tsx src/server.ts`:
// startup, the request log, SIGTERM, one bad configuration), and the app draining on close.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './app.js';
import { testDatabases } from './databases.js';

const ROOT = new URL('..', import.meta.url).pathname;

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
      const res = await fetch(`${url}/api/v1/openapi.json`, { headers: { 'x-request-id': 'platform-trace-42' } }); // not a probe: those log at debug
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
        req: { method: 'GET', url: '/api/v1/openapi.json', remoteAddress: '127.0.0.1' },
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


  // One process is enough to prove the entry turns a bad value into one line and exit code 1;
  // src/config.test.ts covers every variable and value.
  it('stops with exit code 1 and one stderr line naming PORT', { timeout: 90_000 }, async () => {
    const server = spawnServer({ DATABASE_URL: `sqlite:${join(dir, 'never.db')}`, PORT: 'not-a-port' });
    expect(await server.exited).toBe(1);
    const lines = server.stderr().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
    expect(server.stdout()).toBe('');
  });
});
