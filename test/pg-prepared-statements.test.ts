// src/db/pg-prepared.ts on a real PostgreSQL: statements with values are named (parsed once per
// connection), and a migration that changes a table they read does not break the server: outside a
// transaction the caller sees nothing, inside one the request fails retryably and its retry succeeds.
// One connection in the pool, so every request meets the statements the previous ones prepared.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { type DatabaseHandle, connect } from '../src/db/connect.js';
import { migrateToLatestOrThrow } from '../src/db/migrate.js';
import { PreparedStatementChangedError } from '../src/db/errors.js';
import { StatementNames } from '../src/db/pg-prepared.js';
import { registerUser, testConfig } from './app.js';
import { postgresEnabled } from './databases.js';
import { type PgSchema, createPgSchema } from './pg-schema.js';

const NOW = '2026-03-02T09:00:00Z';

it('names at most its bound of distinct texts, each always the same name', () => {
  const names = new StatementNames(2);
  const first = names.of('select 1 where $1 = 1');
  expect(first).toMatch(/^focus_[0-9a-f]{20}$/);
  expect(names.of('select 2 where $1 = 1')).not.toBe(first);
  expect(names.of('select 3 where $1 = 1')).toBeUndefined();
  expect(names.of('select 1 where $1 = 1')).toBe(first);
});

describe.skipIf(!postgresEnabled)('named prepared statements on PostgreSQL', () => {
  let own: PgSchema;
  let handle: DatabaseHandle;
  let app: FastifyInstance;

  /** DDL as a migration run by another process would do it. */
  async function alter(statement: string): Promise<void> {
    const client = new pg.Client({ connectionString: own.url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    own = await createPgSchema(process.env.TEST_DATABASE_URL as string, 'focus_test');
    handle = connect(own.url, { schema: own.schema, poolMax: 1 });
    await migrateToLatestOrThrow(handle.db);
    app = await buildApp(testConfig(own.url), handle);
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await own?.drop();
  });

  it('parses a statement with values once per connection, under a name', async () => {
    const user = await registerUser(app);
    expect((await user.request({ method: 'GET', url: '/api/v1/tags' })).statusCode).toBe(200);
    const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements where name like 'focus\\_%'`.execute(handle.db);
    expect(rows.map((row) => row.statement)).toContain('select * from "tags" where "user_id" = $1');
  });

  it('a table changed under a named statement: the query outside a transaction is answered as if nothing happened', async () => {
    const user = await registerUser(app);
    const created = await user.request({ method: 'POST', url: '/api/v1/tags', payload: { name: 'Deep work' } });
    expect(created.statusCode, created.body).toBe(201);
    expect((await user.request({ method: 'GET', url: '/api/v1/tags' })).statusCode).toBe(200);
    await alter('alter table tags add column migrated_note text');
    const listed = await user.request({ method: 'GET', url: '/api/v1/tags' });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().data.map((tag: { name: string }) => tag.name)).toEqual(['Deep work']);
    expect((await user.request({ method: 'GET', url: '/api/v1/tags' })).statusCode).toBe(200);
  });

  it('inside a transaction: the request fails retryably, changes nothing, and its retry succeeds', async () => {
    const user = await registerUser(app);
    const start = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500 }, now: NOW });
    expect(start.statusCode, start.body).toBe(201);
    const id = start.json().data.id as number;
    // the locking transaction's SELECT … FOR UPDATE of the session is now prepared on the connection
    const paused = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 300 }, now: '2026-03-02T09:05:00Z' });
    expect(paused.statusCode, paused.body).toBe(200);
    await alter('alter table focus_sessions add column migrated_note text');
    const end = () =>
      user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/end`, payload: { status: 'abandoned', elapsed_seconds: 300 }, now: '2026-03-02T09:06:00Z' });
    const failed = await end();
    // the transaction is lost, not the request's meaning: 503 with Retry-After, and the retry succeeds
    expect(failed.statusCode, failed.body).toBe(503);
    expect(failed.json().error.code).toBe('service_unavailable');
    expect(failed.json().message).toBe('a table this request reads changed while it ran (a migration); retry the request');
    expect(failed.headers['retry-after']).toBe('1');
    const running = await user.request({ method: 'GET', url: '/api/v1/sessions/active' });
    expect(running.json().data?.status, running.body).toBe('paused');
    const retried = await end();
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json().data.status).toBe('abandoned');
  });

  it('inside a transaction the database layer throws PreparedStatementChangedError once, then runs the statement again', async () => {
    const user = await registerUser(app);
    const read = () => handle.db.transaction().execute((trx) => trx.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow());
    expect((await read()).id).toBe(user.id);
    await alter('alter table users add column migrated_note text');
    await expect(read()).rejects.toBeInstanceOf(PreparedStatementChangedError);
    const again = await read();
    expect(again.id).toBe(user.id);
    expect(again).toHaveProperty('migrated_note', null);
  });
});
