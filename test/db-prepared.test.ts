// src/db/prepared.ts: a query built and compiled once per database, later calls only bind values.
import { DummyDriver, Kysely, NoResultError, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type KyselyPlugin, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { dialectOf, prepare } from '../src/db/prepared.js';
import { type TestDatabase, testDatabases } from './databases.js';

const NOW = '2026-03-02T06:00:00Z';

/** A PostgreSQL Kysely that compiles but never connects: the SQL text per dialect, without a server. */
function postgresCompiler(): Kysely<Database> {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}

const sessionsOf = prepare((db, p: { userId: number; startedBefore: string; limit: number }) =>
  db
    .selectFrom('focus_sessions')
    .select(['id', 'status'])
    .where('user_id', '=', p.userId)
    .where('status', '=', 'completed') // a constant: stays in the compiled parameters as it is
    .where((eb) => eb.or([eb('started_at', '<', p.startedBefore), eb.and([eb('started_at', '=', p.startedBefore), eb('id', '<', 1000)])]))
    .orderBy('id')
    .limit(p.limit),
);

describe('prepare() compiles', () => {
  const db = postgresCompiler();

  it('the same SQL and parameters as the builder, each value where the builder puts it', () => {
    const builder = db
      .selectFrom('focus_sessions')
      .select(['id', 'status'])
      .where('user_id', '=', 7)
      .where('status', '=', 'completed')
      .where((eb) => eb.or([eb('started_at', '<', NOW), eb.and([eb('started_at', '=', NOW), eb('id', '<', 1000)])]))
      .orderBy('id')
      .limit(3)
      .compile();
    const compiled = sessionsOf.compile(db, { userId: 7, startedBefore: NOW, limit: 3 });
    expect(compiled.sql).toBe(builder.sql);
    expect(compiled.parameters).toEqual([7, 'completed', NOW, NOW, 1000, 3]);
    expect(compiled.parameters).toEqual(builder.parameters);
    // two numbers swapped must show: user 3, limit 7
    expect(sessionsOf.compile(db, { userId: 3, startedBefore: NOW, limit: 7 }).parameters).toEqual([3, 'completed', NOW, NOW, 1000, 7]);
  });

  it('once per database (per dialect adapter), whatever the number of calls and transactions', async () => {
    let builds = 0;
    const query = prepare((db, p: { id: number }, dialect) => {
      builds += 1;
      const q = db.selectFrom('users').select('id').where('id', '=', p.id);
      return dialect === 'postgres' ? q.forUpdate() : q;
    });
    const other = postgresCompiler();
    for (let i = 0; i < 5; i++) query.compile(db, { id: i });
    expect(builds).toBe(1);
    expect(query.compile(other, { id: 1 }).sql).toBe('select "id" from "users" where "id" = $1 for update');
    expect(builds).toBe(2);
    expect(dialectOf(db)).toBe('postgres');
  });

  it('refuses a builder that reads a parameter without making it a value of the query', () => {
    const branches = prepare((db, p: { id: number }) => db.selectFrom('users').select('id').where('id', '=', p.id ? 1 : 2));
    expect(() => branches.compile(db, { id: 1 })).toThrow(/parameter id was read but is not a value/);
    const spreads = prepare((db, p: { email: string; timezone: string }) => db.updateTable('users').set({ ...p }).where('id', '=', 1));
    expect(() => spreads.compile(db, { email: 'a@example.com', timezone: 'UTC' })).toThrow(/cannot be spread/);
  });

  it('refuses a missing value and a Kysely plugin', () => {
    const query = prepare((db, p: { id: number; email: string }) => db.selectFrom('users').select('id').where('id', '=', p.id).where('email', '=', p.email));
    expect(() => query.compile(db, { id: 1 } as { id: number; email: string })).toThrow(/parameter email is missing/);
    const plugin: KyselyPlugin = { transformQuery: (args) => args.node, transformResult: async (args) => args.result };
    expect(() => query.compile(db.withPlugin(plugin), { id: 1, email: 'a@example.com' })).toThrow(/plugins are not supported/);
  });
});

describe.each(testDatabases)('prepare() on $name', (database: TestDatabase) => {
  let created: Awaited<ReturnType<TestDatabase['create']>>;
  let db: Kysely<Database>;
  let userId: number;

  const insertSession = prepare((db, p: { userId: number; duration: number; elapsed: number; startedAt: string; status: 'active' | 'completed' }) =>
    db
      .insertInto('focus_sessions')
      .values({ user_id: p.userId, duration_seconds: p.duration, elapsed_seconds: p.elapsed, status: p.status, started_at: p.startedAt, ended_at: null, updated_at: p.startedAt })
      .returningAll(),
  );
  const findSession = prepare((db, p: { id: number; userId: number }) =>
    db.selectFrom('focus_sessions').selectAll().where('id', '=', p.id).where('user_id', '=', p.userId),
  );
  const pair = prepare((db, p: { a: string; b: string }) => db.selectNoFrom([sql<string>`${p.a}`.as('first'), sql<string>`${p.b}`.as('second')]));
  const setStatus = prepare((db, p: { userId: number; status: 'abandoned' }) => db.updateTable('focus_sessions').set({ status: p.status }).where('user_id', '=', p.userId));

  beforeAll(async () => {
    created = await database.create();
    db = created.handle.db;
    // three users, the sessions are the last one's: its id differs from the first sessions' ids
    const users = await db
      .insertInto('users')
      .values([1, 2, 3].map((i) => ({ email: `prepared-${i}@example.com`, password_hash: 'x', display_name: null, timezone: 'UTC', created_at: NOW, updated_at: NOW })))
      .returning('id')
      .execute();
    userId = users[2]?.id as number;
  });
  afterAll(() => created?.drop());

  it('binds each value to its own place', async () => {
    expect(await pair.rows(db, { a: 'one', b: 'two' })).toEqual([{ first: 'one', second: 'two' }]);
    expect(await pair.first(db, { a: 'two', b: 'one' })).toEqual({ first: 'two', second: 'one' });
    const row = await insertSession.firstOrThrow(db, { userId, duration: 1500, elapsed: 600, startedAt: NOW, status: 'completed' });
    expect(row).toMatchObject({ user_id: userId, duration_seconds: 1500, elapsed_seconds: 600, status: 'completed', started_at: NOW, updated_at: NOW, ended_at: null });
    // id and user id are both numbers: swapped, they find nothing
    expect(row.id).not.toBe(userId);
    expect(await findSession.first(db, { id: row.id, userId })).toEqual(row);
    expect(await findSession.first(db, { id: userId, userId: row.id })).toBeUndefined();
  });

  it('firstOrThrow throws NoResultError when nothing comes back; run counts the rows changed', async () => {
    await expect(findSession.firstOrThrow(db, { id: 999_999, userId })).rejects.toBeInstanceOf(NoResultError);
    const other = await insertSession.firstOrThrow(db, { userId, duration: 60, elapsed: 0, startedAt: NOW, status: 'active' });
    expect(await setStatus.run(db, { userId, status: 'abandoned' })).toBe(2n);
    expect((await findSession.firstOrThrow(db, { id: other.id, userId })).status).toBe('abandoned');
  });

  it('runs inside a transaction, on its connection: it sees the uncommitted row, and the rollback undoes it', async () => {
    let inserted = 0;
    await expect(
      db.transaction().execute(async (trx) => {
        const row = await insertSession.firstOrThrow(trx, { userId, duration: 900, elapsed: 0, startedAt: NOW, status: 'active' });
        inserted = row.id;
        expect(await findSession.first(trx, { id: row.id, userId })).toEqual(row);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(inserted).toBeGreaterThan(0);
    expect(await findSession.first(db, { id: inserted, userId })).toBeUndefined();
  });

  it(`compiles for ${database.name}`, () => {
    expect(dialectOf(db)).toBe(database.name);
    expect(findSession.compile(db, { id: 1, userId: 2 }).sql).toBe(
      database.name === 'postgres'
        ? 'select * from "focus_sessions" where "id" = $1 and "user_id" = $2'
        : 'select * from "focus_sessions" where "id" = ? and "user_id" = ?',
    );
  });
});
