// Group commit on SQLite (src/db/sqlite-driver.ts, issue 16): transactions that follow one another
// share one SQLite transaction, each as a savepoint, and none returns before the batch's COMMIT. A
// member that fails takes back only its own writes; an error that loses the SQLite transaction, or a
// failed COMMIT, fails every member and keeps nothing of any of them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, connect, sqlitePath } from '../src/db/connect.js';
import type { Database } from '../src/db/database.js';
import { BatchAbortedError } from '../src/db/errors.js';
import { migrateToLatestOrThrow } from '../src/db/migrate.js';
import { buildApp } from '../src/app.js';
import { type TestUser, at, registerUser, tally, testConfig } from './app.js';

const NOW = '2026-02-18T08:00:00Z';

function addUser(db: Kysely<Database>, email: string) {
  return db.insertInto('users').values({ email, password_hash: 'x', display_name: null, timezone: 'UTC', created_at: NOW, updated_at: NOW }).execute();
}

/** A transaction that writes a user and then holds its batch open until `open()`; `written` once it has written. */
function holdBatch(db: Kysely<Database>, email: string) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const done = db.transaction().execute(async (trx) => {
    await addUser(trx, email);
    wrote();
    await gate;
  });
  return { written, open, done };
}

async function emails(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('users').select('email').orderBy('email').execute()).map((row) => row.email);
}

describe('SQLite group commit', () => {
  let dir: string;
  let url: string;
  let handle: DatabaseHandle;
  let db: Kysely<Database>;
  const stats = () => ({ ...handle.groupCommit! });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'focus-group-commit-'));
    url = `sqlite:${join(dir, 'focus.db')}`;
    handle = connect(url);
    db = handle.db;
    await migrateToLatestOrThrow(db);
  });
  afterEach(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('transactions started together commit in one batch, and none returns before it is on disk', async () => {
    const before = stats();
    const observer = new SQLite(sqlitePath(url), { readonly: true });
    try {
      const visibleAtReturn: number[] = [];
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          db
            .transaction()
            .execute((trx) => addUser(trx, `u${i}@example.com`))
            .then(() => visibleAtReturn.push(observer.prepare('select count(*) from users').pluck().get() as number)),
        ),
      );
      // another connection sees every row as soon as the first transaction returns: the commit came first
      expect(visibleAtReturn).toEqual(Array(8).fill(8));
    } finally {
      observer.close();
    }
    expect(stats().batches - before.batches).toBe(1);
    expect(stats().members - before.members).toBe(8);
  });

  it('under light load each transaction is a batch of its own: a lone transaction does not wait for company', async () => {
    const before = stats();
    for (let i = 0; i < 5; i += 1) await db.transaction().execute((trx) => addUser(trx, `u${i}@example.com`));
    expect(stats().batches - before.batches).toBe(5);
    expect(stats().members - before.members).toBe(5);
  });

  it('a transaction that fails in the middle of a busy batch takes back only its own writes', async () => {
    const before = stats();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        db.transaction().execute(async (trx) => {
          await addUser(trx, `u${i}@example.com`);
          if (i === 2) {
            await addUser(trx, `u${i}-second@example.com`);
            throw new Error('request 2 failed after two writes');
          }
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason.message).toBe('request 2 failed after two writes');
    expect(await emails(db)).toEqual(['u0@example.com', 'u1@example.com', 'u3@example.com', 'u4@example.com']);
    expect(stats().batches - before.batches).toBe(1);
    expect(stats().aborted).toBe(0);
  });

  it('a constraint failure inside a member is that member’s alone', async () => {
    await addUser(db, 'taken@example.com');
    const outcomes = await Promise.allSettled([
      db.transaction().execute((trx) => addUser(trx, 'a@example.com')),
      db.transaction().execute((trx) => addUser(trx, 'taken@example.com')),
      db.transaction().execute((trx) => addUser(trx, 'b@example.com')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(await emails(db)).toEqual(['a@example.com', 'b@example.com', 'taken@example.com']);
  });

  it('when SQLite loses the transaction under a member (as an I/O error would), every member fails and nothing is kept', async () => {
    await addUser(db, 'kept@example.com');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) =>
        db.transaction().execute(async (trx) => {
          await addUser(trx, `u${i}@example.com`);
          // member 2 ends SQLite's transaction under the batch, as SQLITE_IOERR or SQLITE_FULL can
          if (i === 2) await sql`rollback`.execute(trx);
        }),
      ),
    );
    // 0 and 1 had committed their savepoints and waited for the batch; 2 lost it; 3 ran in a new batch
    expect(outcomes.slice(0, 3).map((o) => (o.status === 'rejected' ? o.reason : undefined))).toEqual([
      expect.any(BatchAbortedError),
      expect.any(BatchAbortedError),
      expect.any(BatchAbortedError),
    ]);
    expect(outcomes[3]!.status).toBe('fulfilled');
    expect(await emails(db)).toEqual(['kept@example.com', 'u3@example.com']);
    expect(stats().aborted).toBe(1);
  });

  it('a failed COMMIT fails every member of its batch, and the next batch works', async () => {
    const outcomes = await Promise.allSettled([
      db.transaction().execute((trx) => addUser(trx, 'a@example.com')),
      db.transaction().execute(async (trx) => {
        // foreign keys checked at COMMIT: this session's user does not exist, so the COMMIT fails
        await sql`pragma defer_foreign_keys = on`.execute(trx);
        await trx
          .insertInto('focus_sessions')
          .values({ user_id: 999, duration_seconds: 1500, elapsed_seconds: 0, status: 'active', started_at: NOW, updated_at: NOW, resumed_at: NOW, last_transition_at: NOW })
          .execute();
      }),
      db.transaction().execute((trx) => addUser(trx, 'b@example.com')),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(BatchAbortedError);
      expect((outcome as PromiseRejectedResult).reason.message).toMatch(/FOREIGN KEY constraint failed/);
    }
    expect(await emails(db)).toEqual([]);
    await db.transaction().execute((trx) => addUser(trx, 'after@example.com'));
    expect(await emails(db)).toEqual(['after@example.com']);
  });

  it('a statement outside any transaction joins the open batch and answers after its COMMIT', async () => {
    const order: string[] = [];
    await Promise.all([
      db
        .transaction()
        .execute((trx) => addUser(trx, 'a@example.com'))
        .then(() => order.push('transaction')),
      // queued behind the transaction, so it runs inside the batch and sees its row
      emails(db).then((list) => order.push(`read ${list.join(',')}`)),
    ]);
    expect(order).toEqual(['transaction', 'read a@example.com']);
  });

  it('a write outside any transaction joins the open batch and answers only after its COMMIT', async () => {
    const held = holdBatch(db, 'held@example.com');
    await held.written;
    let answered = false;
    const lone = addUser(db, 'lone@example.com').then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    const before = stats();
    held.open();
    await Promise.all([held.done, lone]);
    expect(stats().batches - before.batches).toBe(1);
    expect(stats().members - before.members).toBe(2);
    expect(await emails(db)).toEqual(['held@example.com', 'lone@example.com']);
  });

  it('a long batch commits at 64 transactions while more wait', async () => {
    const before = stats();
    await Promise.all(Array.from({ length: 100 }, (_, i) => db.transaction().execute((trx) => addUser(trx, `u${i}@example.com`))));
    expect(stats().members - before.members).toBe(100);
    expect(stats().batches - before.batches).toBe(2);
    expect(await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 100 });
  });
});

describe('group commit over HTTP', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'focus-group-commit-http-'));
    const url = `sqlite:${join(dir, 'focus.db')}`;
    handle = connect(url);
    await migrateToLatestOrThrow(handle.db);
    app = await buildApp(testConfig(url), handle, { webRoot: null });
  });
  afterEach(async () => {
    await app.close();
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (user: TestUser) =>
    (await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: NOW })).json().data.id as number;

  it('two ends of one session in one batch: one 200, one 409, and one completion counted', async () => {
    const user = await registerUser(app);
    const id = await start(user);
    const before = { ...handle.groupCommit! };
    const end = () =>
      user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/end`, payload: { elapsed_seconds: 1500, status: 'completed' }, now: at(NOW, 1500) });
    const responses = await Promise.all([end(), end()]);
    expect(tally(responses.map((r) => r.statusCode))).toEqual({ 200: 1, 409: 1 });
    // the two ends were the two transactions of one batch
    expect(handle.groupCommit!.members - before.members).toBe(2);
    expect(handle.groupCommit!.batches - before.batches).toBe(1);
    const stats = (await user.request({ method: 'GET', url: '/api/v1/stats', now: at(NOW, 1600) })).json().data;
    expect(stats.today).toMatchObject({ focus_seconds: 1500, sessions_completed: 1 });
    // operators see the same counters
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`focus_sqlite_group_commit_total{count="batches"} ${handle.groupCommit!.batches}`);
    expect(metrics).toContain(`focus_sqlite_group_commit_total{count="members"} ${handle.groupCommit!.members}`);
    expect(metrics).toContain('focus_sqlite_group_commit_total{count="aborted"} 0');
  });

  it('a request that fails among busy neighbours changes nothing of its own and nothing of theirs', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => registerUser(app)));
    const tag = await users[0]!.request({ method: 'POST', url: '/api/v1/tags', payload: { name: 'Deep work', color: '#4F46E5' } });
    expect(tag.statusCode).toBe(201);
    const before = { ...handle.groupCommit! };
    const responses = await Promise.all([
      ...users.map((user) => user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: NOW })),
      // a second tag of the same name for user 0: its INSERT fails inside its transaction
      users[0]!.request({ method: 'POST', url: '/api/v1/tags', payload: { name: 'deep WORK', color: '#000000' } }),
    ]);
    expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201, 201, 409]);
    const batches = handle.groupCommit!.batches - before.batches;
    expect(handle.groupCommit!.members - before.members).toBeGreaterThan(batches);
    const tags = await handle.db.selectFrom('tags').select('name').execute();
    expect(tags).toEqual([{ name: 'Deep work' }]);
    const sessions = await handle.db.selectFrom('focus_sessions').select(['user_id', 'status']).orderBy('user_id').execute();
    expect(sessions).toEqual(users.map((u) => ({ user_id: u.id, status: 'active' })).sort((a, b) => a.user_id - b.user_id));
  });

  it('a request in a batch that SQLite loses answers 503 with Retry-After, and its retry succeeds', async () => {
    const user = await registerUser(app);
    // a transaction holds the connection, so what comes next queues behind it in its batch
    const holder = holdBatch(handle.db, 'holder@example.com');
    const request = user.request({ method: 'POST', url: '/api/v1/tags', payload: { name: 'Reading', color: '#123456' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // then a member that ends SQLite's transaction under the batch
    const saboteur = handle.db.transaction().execute((trx) => sql`rollback`.execute(trx));
    holder.open();
    const results = await Promise.allSettled([holder.done, saboteur]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const res = await request;
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({ success: false, error: { code: 'service_unavailable' } });
    expect(await emails(handle.db)).toEqual([user.email]);
    const retry = await user.request({ method: 'POST', url: '/api/v1/tags', payload: { name: 'Reading', color: '#123456' } });
    expect(retry.statusCode).toBe(201);
  });
});
