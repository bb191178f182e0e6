// An own schema in the PostgreSQL test database, for a test app, a server process, a bench run or
// the probe: created empty, reached through `search_path`, dropped with everything in it.
//
// Inside a test run the drops wait for the run's end (test/global-setup.ts): Kysely's migrator looks
// for its tables across every schema of the database, and a schema another test file drops at that
// moment fails the lookup ('schema "focus_test_…" does not exist').
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface PgSchema {
  schema: string;
  /** `baseUrl` with `options=-c search_path=<schema>`: a server process given it works in the schema. */
  url: string;
  drop(): Promise<void>;
}

async function run(baseUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Set by the test run's global setup to the run's name; its schemas carry it. */
export const RUN_ENV = 'FOCUS_TEST_RUN';

const runMark = (name: string): string => `_r${name}_`;

export async function createPgSchema(baseUrl: string, prefix: string): Promise<PgSchema> {
  const testRun = process.env[RUN_ENV];
  const schema = `${prefix}${testRun ? runMark(testRun) : '_'}${process.pid}_${randomBytes(4).toString('hex')}`;
  await run(baseUrl, `create schema ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const drop = () => run(baseUrl, `drop schema if exists ${schema} cascade`);
  return { schema, url: url.toString(), drop: testRun ? async () => {} : drop };
}

/** Drops every schema of test run `name` (the run's global teardown). */
export async function dropRunSchemas(baseUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>('select nspname from pg_namespace where strpos(nspname, $1) > 0', [runMark(name)]);
    for (const { nspname } of rows) await client.query(`drop schema if exists ${client.escapeIdentifier(nspname)} cascade`);
  } finally {
    await client.end();
  }
}
