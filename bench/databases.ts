// The databases a bench run uses: a temp SQLite file, or an own schema in the PostgreSQL test database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseHandle, connect } from '../src/db/connect.js';
import { migrateToLatestOrThrow } from '../src/db/migrate.js';
import { createPgSchema } from '../test/pg-schema.js';

export interface BenchDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  /** DATABASE_URL for a server process. */
  readonly url: string;
  /** A connection from the bench process itself (seeding, cursors), migrated unless asked not to be. */
  readonly handle: DatabaseHandle;
  drop(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * `migrate: false` leaves the schema to the server that will use it: a build of another revision
 * (BENCH_BASELINE) refuses a database that holds migrations it does not know.
 */
export async function sqliteDatabase(dir: string, name = 'focus.db', migrate = true): Promise<BenchDatabase> {
  const url = `sqlite:${join(dir, name)}`;
  const handle = connect(url);
  if (migrate) await migrateToLatestOrThrow(handle.db);
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

export async function postgresDatabase(baseUrl: string, label: string, migrate = true): Promise<BenchDatabase> {
  const own = await createPgSchema(baseUrl, `focus_bench_${label}`);
  const url = own.url;
  const handle = connect(url, { poolMax: 4 });
  if (migrate) await migrateToLatestOrThrow(handle.db);
  return {
    dialect: 'postgres',
    url,
    handle,
    async drop() {
      await handle.close().catch(() => {});
      await own.drop();
    },
  };
}
