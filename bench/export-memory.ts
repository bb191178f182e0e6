// The server's memory while it streams a big export (contract 15: 100,000 sessions must not raise it
// by more than a few MB). Focus runs from the build in its own process, as npm start runs it; a user
// gets 100,000 sessions seeded with SQL (bench/scale.ts), then each download is read to its end while
// the server's VmRSS is sampled every 100 ms, each file on a server of its own. The baseline is the RSS
// after the same download for a user with 10 sessions (code loaded and warm); the big download then
// runs twice: the first shows how far V8 grows its heap under a long stream of short-lived objects,
// the second, on the heap the first left, what a download itself keeps.
//   npm run build && npx tsx bench/export-memory.ts
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/export-memory.ts   (SQLite, then PostgreSQL)
// Knobs: EXPORT_SESSIONS (default 100000), BENCH_FOCUS_ENTRY (another build), BENCH_FOCUS=tsx (the sources),
// BENCH_FOCUS_NODE_ARGS (extra node flags for the server, e.g. --max-semi-space-size=1).
import { request as httpRequest } from 'node:http';
import { type BenchDatabase, postgresDatabase, sqliteDatabase, tempDir } from './databases.js';
import { registerUsers, timestamp } from './client.js';
import { focusArgs, freePort, rssMb, spawnServer } from './processes.js';
import { SEED_END_MS, seedSessions } from './scale.js';

const SESSIONS = Number(process.env.EXPORT_SESSIONS ?? 100_000);
const SAMPLE_MS = 100;
const PATHS = { json: '/api/v1/users/me/export', csv: '/api/v1/sessions/export.csv' } as const;

interface Download {
  bytes: number;
  ms: number;
  complete: boolean;
  /** Peak VmRSS of the server while the download ran, in MB. */
  peakMb: number;
}

/** Reads a download to its end without keeping it, sampling the server's RSS meanwhile. */
function download(baseUrl: string, path: string, token: string, pid: number): Promise<Download> {
  return new Promise((resolve, reject) => {
    let peak = rssMb(pid);
    const timer = setInterval(() => {
      peak = Math.max(peak, rssMb(pid));
    }, SAMPLE_MS);
    const started = performance.now();
    let bytes = 0;
    const req = httpRequest(new URL(path, baseUrl), { headers: { authorization: `Bearer ${token}`, 'x-test-now': timestamp(SEED_END_MS) } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${path}: ${res.statusCode}`));
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      const done = () => {
        clearInterval(timer);
        peak = Math.max(peak, rssMb(pid));
        resolve({ bytes, ms: performance.now() - started, complete: res.complete, peakMb: peak });
      };
      res.on('end', done);
      res.on('error', done);
    });
    req.on('error', reject);
    req.end();
  });
}

/** One download kind on a server of its own, so neither inherits the heap the other grew. */
async function measure(database: BenchDatabase, kind: keyof typeof PATHS, users: { small: string; big: string } | null): Promise<{ row: string; users: { small: string; big: string } }> {
  const server = await spawnServer({
    name: `focus-${database.dialect}-${kind}`,
    args: [...(process.env.BENCH_FOCUS_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...focusArgs(process.env.BENCH_FOCUS === 'tsx' ? 'tsx' : 'dist')],
    env: {
      NODE_ENV: 'development',
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      FOCUS_TEST_CLOCK: '1',
      RATE_LIMIT_PER_MINUTE: '0',
      AUTH_RATE_LIMIT_PER_MINUTE: '0',
    },
    port: await freePort(),
    readyPath: '/readyz',
  });
  try {
    if (!users) {
      const [small, big] = await registerUsers(server.url, 2, `export${process.pid}`, SEED_END_MS, 2);
      if (!small || !big) throw new Error('registration failed');
      await seedSessions(database.handle, small.id, 10);
      await seedSessions(database.handle, big.id, SESSIONS);
      users = { small: small.token, big: big.token };
    }
    // twice for the small user: the first loads and compiles the export's code paths
    await download(server.url, PATHS[kind], users.small, server.pid);
    const warm = await download(server.url, PATHS[kind], users.small, server.pid);
    if (!warm.complete) throw new Error(`the small ${kind} download ended early`);
    const baseline = server.rssMb();
    const first = await download(server.url, PATHS[kind], users.big, server.pid);
    // again: what V8 grew its heap to for the first one stays reserved, so this shows what a download holds
    const second = await download(server.url, PATHS[kind], users.big, server.pid);
    if (!first.complete || !second.complete) throw new Error(`the ${kind} download ended early`);
    const row = [
      database.dialect,
      kind,
      SESSIONS.toLocaleString('en'),
      (first.bytes / 2 ** 20).toFixed(1),
      (first.ms / 1000).toFixed(1),
      baseline.toFixed(1),
      first.peakMb.toFixed(1),
      (first.peakMb - baseline).toFixed(1),
      second.peakMb.toFixed(1),
      (second.peakMb - first.peakMb).toFixed(1),
    ].join(' | ');
    return { row: `| ${row} |`, users };
  } finally {
    await server.stop();
  }
}

async function measureBoth(database: BenchDatabase): Promise<string[]> {
  const json = await measure(database, 'json', null);
  const csv = await measure(database, 'csv', json.users);
  return [json.row, csv.row];
}

async function main() {
  const rows: string[] = [];
  const dir = tempDir('focus-export-memory-');
  const sqlite = await sqliteDatabase(dir);
  try {
    rows.push(...(await measureBoth(sqlite)));
  } finally {
    await sqlite.drop();
  }
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    const pg = await postgresDatabase(pgUrl, 'export');
    try {
      rows.push(...(await measureBoth(pg)));
    } finally {
      await pg.drop();
    }
  }
  console.log(`Focus export memory: the server's VmRSS sampled every ${SAMPLE_MS} ms during each download`);
  console.log('| database | file | sessions | MB sent | seconds | baseline RSS MB | 1st peak MB | 1st rise MB | 2nd peak MB | 2nd over 1st MB |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) console.log(row);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
