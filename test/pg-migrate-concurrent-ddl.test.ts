// Migrating one PostgreSQL schema while another session changes tables elsewhere in the database
// (another application, or another test schema migrating down): Kysely's migrator would introspect
// every column of the database and fail on one dropped under it ("column … of relation … does not
// exist"); src/db/migrate.ts has it look at the current schema's table names only.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.js';
import { migrateToLatestOrThrow, migrationsApplied } from '../src/db/migrate.js';
import { migrations } from '../src/db/migrations/index.js';
import { postgresEnabled } from './databases.js';
import { type PgSchema, createPgSchema } from './pg-schema.js';

const pgUrl = process.env.TEST_DATABASE_URL ?? '';

describe.skipIf(!postgresEnabled)('migrations on PostgreSQL while other schemas change', () => {
  let churned: PgSchema;

  beforeAll(async () => {
    churned = await createPgSchema(pgUrl, 'focus_test_churn');
  });
  afterAll(async () => {
    await churned.drop();
  });

  it('migrate fresh schemas and report them applied while another schema adds and drops columns without pause', { timeout: 60_000 }, async () => {
    const client = new pg.Client({ connectionString: churned.url });
    await client.connect();
    await client.query('create table churn (id integer)');
    let stop = false;
    const churn = (async () => {
      let rounds = 0;
      while (!stop) {
        // many columns, so that a catalog scan meets one as it is dropped
        await client.query(`alter table churn ${Array.from({ length: 40 }, (_, i) => `add column c${i} integer`).join(', ')}`);
        await client.query(`alter table churn ${Array.from({ length: 40 }, (_, i) => `drop column c${i}`).join(', ')}`);
        rounds += 1;
        // dropped columns still count towards PostgreSQL's 1,600 per table: start a new table now and then
        if (rounds % 20 === 0) await client.query('drop table churn; create table churn (id integer)');
      }
      return rounds;
    })();
    // settled here, checked after the migrations: a failure of the churn itself must not go unhandled
    const churnOutcome = churn.then(
      (rounds) => ({ rounds, error: undefined }),
      (error: unknown) => ({ rounds: 0, error }),
    );
    try {
      for (let i = 0; i < 8; i += 1) {
        const own = await createPgSchema(pgUrl, 'focus_test_migrate');
        const handle = connect(own.url, { poolMax: 2 });
        try {
          expect(await migrateToLatestOrThrow(handle.db)).toEqual(Object.keys(migrations));
          expect(await migrationsApplied(handle.db)).toBe(true);
          expect(await migrateToLatestOrThrow(handle.db)).toEqual([]);
        } finally {
          await handle.close();
          await own.drop();
        }
      }
    } finally {
      stop = true;
      const outcome = await churnOutcome;
      await client.end();
      expect(outcome.error).toBeUndefined();
      expect(outcome.rounds).toBeGreaterThan(0);
    }
  });
});
