// Two server processes on one PostgreSQL database, starts and ends split across them concurrently:
// one running session per user, every answered operation stored, totals applied exactly once, and an
// Idempotency-Key honoured by the other instance.
import { describe, expect, it } from 'vitest';
import { postgresEnabled } from '../databases.js';
import { call, serverDatabase, startServer, stopServer } from './server-process.js';
import { newLedger, registerLoadUsers, runLifecycle, verifyLedger } from './workload.js';

if (!postgresEnabled) process.stdout.write('\n[focus] TEST_DATABASE_URL is not set: the two-instance test is SKIPPED.\n\n');

describe.skipIf(!postgresEnabled)('two instances on one PostgreSQL', () => {
  it('keep every invariant while starts and ends are split across them', { timeout: 120_000 }, async () => {
    const database = await serverDatabase('postgres');
    const a = await startServer({ DATABASE_URL: database.url });
    const b = await startServer({ DATABASE_URL: database.url });
    try {
      const users = await registerLoadUsers(a.base, 8, `two-${Date.now()}`);
      const ledger = newLedger();
      const now = '2026-01-01T09:00:00Z';
      const later = '2026-01-01T09:01:00Z';

      // The same user starts on both instances at once: exactly one 201, the other 409.
      for (const user of users) {
        const answers = await Promise.all(
          [a, b].map((server) => call(server.base, 'POST', '/api/v1/sessions', { token: user.token, body: { duration_seconds: 60 }, now })),
        );
        expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
        const winner = answers.find((r) => r.status === 201)!;
        expect(answers.find((r) => r.status === 409)!.body.error?.code).toBe('session_already_running');
        const id = (winner.body.data as { id: number }).id;
        ledger.starts.set(id, user.index);

        // Both instances end it at once: one 200, one 409; the completion counts once.
        const ends = await Promise.all(
          [a, b].map((server) =>
            call(server.base, 'PATCH', `/api/v1/sessions/${id}/end`, { token: user.token, body: { elapsed_seconds: 60, status: 'completed' }, now: later }),
          ),
        );
        expect(ends.map((r) => r.status).sort()).toEqual([200, 409]);
        ledger.ends.set(id, { status: 'completed', elapsed: 60 });
      }

      // An Idempotency-Key used on one instance is honoured by the other.
      const first = users[0]!;
      const keyed = (server: typeof a) =>
        call(server.base, 'POST', '/api/v1/sessions', { token: first.token, body: { duration_seconds: 120 }, now, headers: { 'idempotency-key': 'cross-instance' } });
      const original = await keyed(a);
      expect(original.status).toBe(201);
      const replay = await fetch(`${b.base}/api/v1/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${first.token}`, 'content-type': 'application/json', 'idempotency-key': 'cross-instance', 'x-test-now': now },
        body: JSON.stringify({ duration_seconds: 120 }),
      });
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(await replay.json()).toEqual(original.body);
      const keyedId = (original.body.data as { id: number }).id;
      ledger.starts.set(keyedId, first.index);
      const abandon = await call(b.base, 'PATCH', `/api/v1/sessions/${keyedId}/end`, { token: first.token, body: { elapsed_seconds: 30, status: 'abandoned' }, now: later });
      expect(abandon.status).toBe(200);
      ledger.ends.set(keyedId, { status: 'abandoned', elapsed: 30 });

      // Lifecycle load with every operation alternating between the instances.
      const deadline = Date.now() + 20_000;
      await Promise.all(users.map((user) => runLifecycle([a.base, b.base], user, ledger, () => Date.now() > deadline, 25)));
      expect(ledger.unanswered).toBe(0);

      for (const server of [a, b]) await verifyLedger(server.base, users, ledger);
    } finally {
      await stopServer(a, 'SIGTERM');
      await stopServer(b, 'SIGTERM');
      await database.drop();
    }
  });
});
