// An own schema in the PostgreSQL test database, for a test app, a server process, a bench run or
// the probe: created empty, reached through `search_path`, dropped with everything in it.
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

export async function createPgSchema(baseUrl: string, prefix: string): Promise<PgSchema> {
  const schema = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await run(baseUrl, `create schema ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { schema, url: url.toString(), drop: () => run(baseUrl, `drop schema if exists ${schema} cascade`) };
}
