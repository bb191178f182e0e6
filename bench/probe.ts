// Per-request cost of Focus itself, in process (app.inject: no sockets), one request at a time, as
// CPU time (user + system) of this process. Each scenario runs in batches and reports the cheapest
// batch: CPU time ignores waiting for a core, and the minimum drops the batches a GC or a noisy
// neighbour (cache misses) inflated, so this is the steadiest before/after figure on shared cores.
//
//   npx tsx bench/probe.ts [--build <dir with app.js, e.g. dist/src>] [--pg]    (prints to stderr)
//   PROBE_PROFILE=dir: also a CPU profile of each scenario's measured batches, dir/<n>.cpuprofile
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { createPgSchema } from '../test/pg-schema.js';

interface Build {
  buildApp(config: unknown, handle: unknown): Promise<FastifyInstance>;
  loadConfig(env: Record<string, string>): unknown;
  connect(url: string): { close(): Promise<void>; db: unknown };
  migrateToLatestOrThrow(db: unknown): Promise<unknown>;
}

async function load(dir: string): Promise<Build> {
  const ext = dir.endsWith('src') && !dir.includes('dist') ? '.ts' : '.js';
  const mod = (name: string) => import(pathToFileURL(join(dir, name + ext)).href);
  const [app, config, connect, migrate] = await Promise.all([mod('app'), mod('config'), mod('db/connect'), mod('db/migrate')]);
  return { buildApp: app.buildApp, loadConfig: config.loadConfig, connect: connect.connect, migrateToLatestOrThrow: migrate.migrateToLatestOrThrow };
}

const ts = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';

async function main() {
  const args = process.argv.slice(2);
  const buildDir = resolve(args.includes('--build') ? (args[args.indexOf('--build') + 1] as string) : 'src');
  const usePg = args.includes('--pg');
  const batches = Number(process.env.PROBE_BATCHES ?? 7);
  const perBatch = Number(process.env.PROBE_CYCLES ?? 150);
  const build = await load(buildDir);

  let url: string;
  let dropDb: () => Promise<void>;
  if (usePg) {
    const base = process.env.TEST_DATABASE_URL as string;
    const own = await createPgSchema(base, 'focus_probe');
    url = own.url;
    dropDb = own.drop;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'focus-probe-'));
    url = `sqlite:${join(dir, 'focus.db')}`;
    dropDb = async () => rmSync(dir, { recursive: true, force: true });
  }
  // Count the statements sent to the database (on PostgreSQL each one is a round trip).
  let statements = 0;
  // PROBE_SQL_TIMES=1: also time each SQL text (SQLite only; wall time inside the driver call)
  const sqlTimes = new Map<string, { count: number; ns: bigint }>();
  const timeSql = process.env.PROBE_SQL_TIMES === '1';
  if (usePg) {
    const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      statements += 1;
      return query.apply(this, args);
    } as typeof pg.Client.prototype.query;
  } else {
    const Sqlite = (await import('better-sqlite3')).default;
    const scratch = new Sqlite(':memory:');
    const proto = Object.getPrototypeOf(scratch.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>;
    for (const method of ['all', 'run', 'get', 'iterate']) {
      const original = proto[method] as (...args: unknown[]) => unknown;
      proto[method] = function (this: { source: string }, ...args: unknown[]) {
        statements += 1;
        if (!timeSql) return original.apply(this, args);
        const started = process.hrtime.bigint();
        try {
          return original.apply(this, args);
        } finally {
          const entry = sqlTimes.get(this.source) ?? { count: 0, ns: 0n };
          entry.count += 1;
          entry.ns += process.hrtime.bigint() - started;
          sqlTimes.set(this.source, entry);
        }
      };
    }
    scratch.close();
  }
  const handle = build.connect(url);
  await build.migrateToLatestOrThrow(handle.db);
  const config = build.loadConfig({
    DATABASE_URL: url,
    LOG_LEVEL: process.env.PROBE_LOG_LEVEL ?? 'info',
    FOCUS_TEST_CLOCK: '1',
    RATE_LIMIT_PER_MINUTE: '0',
    AUTH_RATE_LIMIT_PER_MINUTE: '0',
  });
  const app = await build.buildApp(config, handle);
  await app.ready();

  const users: { token: string; clock: number }[] = [];
  for (let i = 0; i < 16; i++) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email: `probe${i}@example.com`, password: 'probe password 1' } });
    users.push({ token: res.json().data.access_token, clock: Date.parse('2026-03-02T06:00:00Z') });
  }
  let failures = 0;
  const check = (status: number, expected: number) => {
    if (status !== expected) failures += 1;
  };
  let u = 0;
  const cycle = async () => {
    const user = users[u++ % users.length] as { token: string; clock: number };
    const headers = (offset: number) => ({ authorization: `Bearer ${user.token}`, 'x-test-now': ts(user.clock + offset * 1000) });
    const start = await app.inject({ method: 'POST', url: '/api/v1/sessions', headers: headers(0), payload: { duration_seconds: 1500 } });
    check(start.statusCode, 201);
    const id = start.json().data.id;
    check((await app.inject({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, headers: headers(600), payload: { elapsed_seconds: 600 } })).statusCode, 200);
    check((await app.inject({ method: 'PATCH', url: `/api/v1/sessions/${id}/resume`, headers: headers(900) })).statusCode, 200);
    check(
      (await app.inject({ method: 'PATCH', url: `/api/v1/sessions/${id}/end`, headers: headers(1800), payload: { elapsed_seconds: 1500, status: 'completed' } }))
        .statusCode,
      200,
    );
    user.clock += 3600 * 1000;
  };
  const get = (path: string) => async () => {
    const user = users[u++ % users.length] as { token: string };
    check((await app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${user.token}` } })).statusCode, 200);
  };
  const scenarios: [string, () => Promise<void>, number][] = [
    ['lifecycle (per request)', cycle, 4],
    ['GET /sessions/active', get('/api/v1/sessions/active'), 1],
    ['GET /sessions?limit=20', get('/api/v1/sessions?limit=20'), 1],
  ];
  const results: Record<string, number> = {};
  const perRequest: Record<string, number> = {};
  const profileDir = process.env.PROBE_PROFILE;
  const inspector = profileDir ? new Session() : undefined;
  if (inspector && profileDir) {
    mkdirSync(profileDir, { recursive: true });
    inspector.connect();
    await inspector.post('Profiler.enable');
  }
  for (const [index, [name, fn, requests]] of scenarios.entries()) {
    for (let i = 0; i < 30; i++) await fn(); // warm-up
    const before = statements;
    for (let i = 0; i < 20; i++) await fn();
    perRequest[name] = (statements - before) / (20 * requests);
    let best = Number.POSITIVE_INFINITY;
    await inspector?.post('Profiler.start');
    for (let b = 0; b < batches; b++) {
      const started = process.cpuUsage();
      for (let i = 0; i < perBatch; i++) await fn();
      const used = process.cpuUsage(started);
      const us = (used.user + used.system) / (perBatch * requests);
      best = Math.min(best, us);
    }
    if (inspector) writeFileSync(join(profileDir as string, `${index}.cpuprofile`), JSON.stringify((await inspector.post('Profiler.stop')).profile));
    results[name] = best;
  }
  inspector?.disconnect();
  if (timeSql) {
    const rows = [...sqlTimes].sort((a, b) => Number(b[1].ns - a[1].ns)).slice(0, 25);
    for (const [source, { count, ns }] of rows) {
      process.stderr.write(`${(Number(ns) / 1e6).toFixed(0).padStart(6)} ms ${String(count).padStart(7)} × ${(Number(ns) / 1e3 / count).toFixed(1).padStart(6)} µs  ${source.replace(/\s+/g, ' ').slice(0, 160)}\n`);
    }
  }
  await app.close();
  await handle.close();
  await dropDb();
  process.stderr.write(`${buildDir} (${usePg ? 'postgres' : 'sqlite'}, failures ${failures}): ` + Object.entries(results).map(([n, us]) => `${n} ${us.toFixed(0)} µs CPU, ${perRequest[n]?.toFixed(2)} statements`).join(' | ') + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`probe failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
