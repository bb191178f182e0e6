// Graceful shutdown of a real server process: SIGTERM while requests are in flight answers all of
// them, closes the database and exits 0. Also: every log line of a request carries its request id.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { call, serverDatabase, startServer, stopServer } from './server-process.js';

describe('SIGTERM', () => {
  it('finishes the requests in flight, closes the database and exits 0', { timeout: 60_000 }, async () => {
    const database = await serverDatabase('sqlite');
    const server = await startServer({ DATABASE_URL: database.url, LOG_LEVEL: 'info' });
    try {
      const traced = await fetch(`${server.base}/healthz`, { headers: { 'x-request-id': 'trace-abc-123' } });
      expect(traced.headers.get('x-request-id')).toBe('trace-abc-123');

      // Registering hashes a password (argon2id): slow enough to be in flight when SIGTERM lands.
      const stamp = Date.now();
      const inFlight = Array.from({ length: 12 }, (_, i) =>
        call(server.base, 'POST', '/api/v1/auth/register', { body: { email: `shutdown.${stamp}.${i}@example.com`, password: 'a long password' } }),
      );
      const received = () => (server.output().match(/"url":"\/api\/v1\/auth\/register"/g) ?? []).length;
      const deadline = Date.now() + 15_000;
      while (received() < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(received()).toBe(12);
      server.child.kill('SIGTERM');

      const answers = await Promise.all(inFlight);
      expect(answers.map((r) => r.status)).toEqual(Array(12).fill(201));
      const exit = await server.exited;
      expect(exit, server.output().slice(-3000)).toEqual({ code: 0, signal: null });

      // SQLite removes the write-ahead log when the last connection closes cleanly.
      expect(existsSync(database.file!)).toBe(true);
      expect(existsSync(`${database.file}-wal`)).toBe(false);

      const lines = server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const ofTraced = lines.filter((line) => line.request_id === 'trace-abc-123');
      expect(ofTraced.map((line) => line.msg)).toEqual(['incoming request', 'request completed']);
      expect(lines.some((line) => line.msg === 'shutting down: finishing in-flight requests')).toBe(true);
      expect(lines.filter((line) => line.msg === 'request completed').every((line) => typeof line.request_id === 'string')).toBe(true);
    } finally {
      await stopServer(server);
      await database.drop();
    }
  });
});
