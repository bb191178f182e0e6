// Crash test: lifecycle load against a real server process, SIGKILL mid-run, restart on the same
// database. Every operation answered 2xx must be there, and each user's totals must equal what the
// stored sessions imply (docs/reliability.md). On SQLite in both durability settings: group commit
// answers no write before the COMMIT that holds it, whether that COMMIT fsyncs (full) or not (normal).
import { describe, expect, it } from 'vitest';
import { postgresEnabled } from '../databases.js';
import { serverDatabase, startServer, stopServer } from './server-process.js';
import { newLedger, registerLoadUsers, runLifecycle, verifyLedger } from './workload.js';

const cases: { name: string; dialect: 'sqlite' | 'postgres'; env: Record<string, string> }[] = [
  { name: 'SQLite, SQLITE_SYNCHRONOUS=full', dialect: 'sqlite', env: { SQLITE_SYNCHRONOUS: 'full' } },
  { name: 'SQLite, SQLITE_SYNCHRONOUS=normal', dialect: 'sqlite', env: { SQLITE_SYNCHRONOUS: 'normal' } },
  ...(postgresEnabled ? [{ name: 'PostgreSQL', dialect: 'postgres' as const, env: {} }] : []),
];

describe.each(cases)('a SIGKILL under load on $name', ({ dialect, env }) => {
  it('loses no answered operation, and totals match the stored sessions after a restart', { timeout: 120_000 }, async () => {
    const database = await serverDatabase(dialect);
    const first = await startServer({ DATABASE_URL: database.url, ...env });
    let second: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      const users = await registerLoadUsers(first.base, 8, `crash-${dialect}-${Date.now()}`);
      const ledger = newLedger();
      let stopped = false;
      const load = Promise.all(users.map((user) => runLifecycle([first.base], user, ledger, () => stopped, 400)));
      // Kill once a fair amount of work has been answered (bounded in time either way).
      const deadline = Date.now() + 20_000;
      while (ledger.answered < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      first.child.kill('SIGKILL');
      const exit = await first.exited;
      expect(exit.signal).toBe('SIGKILL');
      await load;
      stopped = true;
      expect(ledger.answered).toBeGreaterThan(0);

      second = await startServer({ DATABASE_URL: database.url, ...env });
      const { sessions } = await verifyLedger(second.base, users, ledger);
      expect(sessions).toBeGreaterThanOrEqual(ledger.starts.size);

      // the restarted server takes writes: every user can finish a running session or start anew
      const probe = await fetch(`${second.base}/api/v1/users/me`, { headers: { authorization: `Bearer ${users[0]!.token}` } });
      expect(probe.status).toBe(200);
    } finally {
      await stopServer(first);
      if (second) await stopServer(second, 'SIGTERM');
      await database.drop();
    }
  });
});
