// The databases a bench run uses: a temp SQLite file, or an own schema in the PostgreSQL test database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type DatabaseHandle, connect } from '../src/db/connect.js';
import { migrateToLatestOrThrow } from '../src/db/migrate.js';

export interface BenchDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  /** DATABASE_URL for a server process. */
  readonly url: string;
  /** A migrated connection from the bench process itself (seeding, cursors). */
  readonly handle: DatabaseHandle;
  drop(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function sqliteDatabase(dir: string, name = 'focus.db'): Promise<BenchDatabase> {
  const url = `sqlite:${join(dir, name)}`;
  const handle = connect(url);
  await migrateToLatestOrThrow(handle.db);
  return {
    dialect: 'sqlite',
    url,
    handle,
    async drop() {
      await handle.close().catch(() => {});
      rmSync(join(dir, name), { force: true });
      rmSync(join(dir, `${name}-wal`), { force: true });
      rmSync(join(dir, `${name}-shm`), { force: true });
    },
  };
}

/** `search_path` in the URL, so the server process and the bench see the same schema. */
export function withSearchPath(baseUrl: string, schema: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

export async function postgresDatabase(baseUrl: string, label: string): Promise<BenchDatabase> {
  const schema = `focus_bench_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = withSearchPath(baseUrl, schema);
  const handle = connect(url, { poolMax: 4 });
  await migrateToLatestOrThrow(handle.db);
  return {
    dialect: 'postgres',
    url,
    handle,
    async drop() {
      await handle.close().catch(() => {});
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}
