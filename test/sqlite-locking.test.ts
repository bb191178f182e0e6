// SQLite shared by processes (cluster workers, `npm run badges:import` on a live server): a
// transaction that reads first must not fail when another process writes before its first write,
// waiting for another process's write lock must not stall the event loop, and processes starting
// together on one new file migrate it once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import SQLite from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { type DatabaseHandle, connect, sqlitePath } from '../src/db/connect.js';
import { migrateToLatestOrThrow } from '../src/db/migrate.js';
import { migrations } from '../src/db/migrations/index.js';
import { registerUser, testConfig } from './app.js';

/** Another process: one write to the users table, with the same busy_timeout as Focus's. */
function writeFromAnotherProcess(file: string): { started: Promise<void>; done: Promise<number> } {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.pragma('busy_timeout = 5000');
    process.stdout.write('open\\n');
    db.prepare("update users set display_name = 'other process' where id = 1").run();
    db.close();
  `;
  const child = spawn(process.execPath, ['-e', script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const started = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const done = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { started, done };
}

/** A process that migrates `file` when go() is called (test/fixtures/migrate-on-signal.ts). */
function migratingProcess(file: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/migrate-on-signal.ts'), file], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const line = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the migrating process exited without answering');
    return value as string;
  };
  const ready = line();
  return {
    ready,
    go: () => child.stdin.write('go\n'),
    result: async () => JSON.parse(await line()) as { applied?: string[]; error?: string },
  };
}

describe('processes starting together on one new SQLite file', () => {
  it('migrate it once: one applies every migration, the others wait and find nothing to do', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'focus-migrate-race-'));
    try {
      const file = join(dir, 'focus.db');
      const processes = Array.from({ length: 4 }, () => migratingProcess(file));
      await Promise.all(processes.map((p) => p.ready));
      for (const p of processes) p.go();
      const results = await Promise.all(processes.map((p) => p.result()));
      // without the write lock, the others fail ("table … already exists", or a UNIQUE failure on
      // kysely_migration) and a migration can be left half applied
      expect(results.filter((r) => r.error !== undefined)).toEqual([]);
      const counts = results.map((r) => r.applied?.length).sort();
      expect(counts).toEqual([0, 0, 0, Object.keys(migrations).length]);

      const db = new SQLite(file, { readonly: true });
      try {
        const recorded = db.prepare('select name from kysely_migration order by name').pluck().all();
        expect(recorded).toEqual(Object.keys(migrations).sort());
        expect(db.prepare('select count(*) from badge_definitions').pluck().get()).toBe(14);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('waits for another process holding the write lock, then gives up with a clear error and runs nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'focus-migrate-wait-'));
    const url = `sqlite:${join(dir, 'focus.db')}`;
    const handle = connect(url, { busyTimeoutMs: 100 });
    const other = new SQLite(sqlitePath(url));
    try {
      other.exec('begin immediate');
      const started = Date.now();
      await expect(migrateToLatestOrThrow(handle.db, { sqliteLockWaitMs: 400 })).rejects.toThrow(
        "migrations not run: another process held the SQLite database's write lock for 0.4 s",
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      other.exec('rollback');
      // once the lock is free the same call migrates
      expect(await migrateToLatestOrThrow(handle.db, { sqliteLockWaitMs: 400 })).toEqual(Object.keys(migrations));
    } finally {
      if (other.inTransaction) other.exec('rollback');
      other.close();
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failing migration run leaves nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'focus-migrate-fail-'));
    const handle = connect(`sqlite:${join(dir, 'focus.db')}`);
    try {
      // a table in the way of migration 0002: 0001 runs, then 0002 fails
      await handle.db.schema.createTable('focus_sessions').addColumn('id', 'integer').execute();
      await expect(migrateToLatestOrThrow(handle.db)).rejects.toThrow(/focus_sessions/);
      const tables = await handle.db.introspection.getTables({ withInternalKyselyTables: true });
      expect(tables.map((t) => t.name).sort()).toEqual(['focus_sessions']);
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite transactions take the write lock first', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let url: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'focus-locking-'));
    url = `sqlite:${join(dir, 'focus.db')}`;
    handle = connect(url);
    await migrateToLatestOrThrow(handle.db);
    const now = '2026-01-01T00:00:00Z';
    await handle.db
      .insertInto('users')
      .values({ email: 'a@example.com', password_hash: 'x', display_name: null, timezone: 'UTC', created_at: now, updated_at: now })
      .execute();
  });
  afterEach(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a read-then-write transaction commits while another process writes, which waits its turn', async () => {
    let other: ReturnType<typeof writeFromAnotherProcess> | undefined;
    await handle.db.transaction().execute(async (trx) => {
      const user = await trx.selectFrom('users').select(['id', 'display_name']).where('id', '=', 1).executeTakeFirstOrThrow();
      expect(user.display_name).toBeNull();
      // the other process writes now; with a deferred BEGIN it would commit first, and this
      // transaction's write below would fail with SQLITE_BUSY_SNAPSHOT
      other = writeFromAnotherProcess(sqlitePath(url));
      await other.started;
      await new Promise((resolve) => setTimeout(resolve, 300));
      await trx.updateTable('users').set({ display_name: 'this process' }).where('id', '=', 1).execute();
    });
    expect(await other!.done).toBe(0);
    // the other process waited for this transaction's commit, then wrote
    const after = await handle.db.selectFrom('users').select('display_name').where('id', '=', 1).executeTakeFirstOrThrow();
    expect(after.display_name).toBe('other process');
  });
});

describe('a request that meets another process’s write lock', () => {
  let dir: string;
  let url: string;
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let other: SQLite.Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'focus-locking-'));
    url = `sqlite:${join(dir, 'focus.db')}`;
    handle = connect(url, { busyTimeoutMs: 1500 });
    await migrateToLatestOrThrow(handle.db);
    app = await buildApp(testConfig(url), handle, { webRoot: null });
    // another connection to the file, as another process would have (better-sqlite3 is
    // synchronous, so in this process it holds the lock until told to commit)
    other = new SQLite(sqlitePath(url));
  });
  afterEach(async () => {
    if (other.inTransaction) other.exec('rollback');
    other.close();
    await app.close();
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for it without blocking the process: other requests answer meanwhile, the write lands after the commit', async () => {
    const user = await registerUser(app);
    other.exec('begin immediate');
    const start = user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 } });
    let settled = false;
    void start.then(() => (settled = true));
    // the start is waiting for the lock, and the event loop still turns: SQLite's own busy handler
    // would sleep inside the call for the whole busy timeout (1.5 s here) and this 200 ms timer
    // would fire that late
    const slept = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(Date.now() - slept).toBeLessThan(1000);
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(settled).toBe(false);
    other.exec('commit');
    const res = await start;
    expect(res.statusCode, res.body).toBe(201);
    const active = await user.request({ method: 'GET', url: '/api/v1/sessions/active' });
    expect(active.json().data.id).toBe(res.json().data.id);
  });

  it('gives up after the busy timeout with a 503 in the envelope, and nothing is written', async () => {
    const user = await registerUser(app);
    other.exec('begin immediate');
    const res = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 } });
    other.exec('rollback');
    expect(res.statusCode, res.body).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({ success: false, error: { code: 'service_unavailable' } });
    const active = await user.request({ method: 'GET', url: '/api/v1/sessions/active' });
    expect(active.json().data).toBeNull();
  });
});
