// The databases every database-touching test runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type DatabaseHandle, connect } from '../src/db/connect.js';
import { migrateToLatestOrThrow } from '../src/db/migrate.js';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** A fresh, migrated database (own file or own schema); `drop` removes it. */
  create(): Promise<{ handle: DatabaseHandle; url: string; schema?: string; drop(): Promise<void> }>;
}

const pgUrl = process.env.TEST_DATABASE_URL;

const sqlite: TestDatabase = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'focus-test-'));
    const url = `sqlite:${join(dir, 'focus.db')}`;
    const handle = connect(url);
    await migrateToLatestOrThrow(handle.db);
    return {
      handle,
      url,
      async drop() {
        await handle.close().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: TestDatabase = {
  name: 'postgres',
  async create() {
    if (!pgUrl) throw new Error('TEST_DATABASE_URL is not set');
    const schema = `focus_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const handle = connect(pgUrl, { schema, poolMax: 20 });
    await migrateToLatestOrThrow(handle.db);
    return {
      handle,
      url: pgUrl,
      schema,
      async drop() {
        await handle.close().catch(() => {});
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      },
    };
  },
};

/** Use with describe.each: PostgreSQL appears only when TEST_DATABASE_URL is set. */
export const testDatabases: TestDatabase[] = pgUrl ? [sqlite, postgres] : [sqlite];
export const postgresEnabled = Boolean(pgUrl);
