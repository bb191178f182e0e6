import { type Kysely, Migrator, sql } from 'kysely';
import type { Database } from './database.js';
import { DatabaseBusyError } from './errors.js';
import { isPostgres } from './migrations/helpers.js';
import { migrations } from './migrations/index.js';

/**
 * On PostgreSQL the migration tables live in the connection's current schema, named explicitly:
 * without a schema, Kysely takes a kysely_migration table in ANY schema of the database as its own
 * (two apps, or two test schemas, in one database would then skip creating theirs and fail).
 */
async function migrator(db: Kysely<Database>): Promise<Migrator> {
  let migrationTableSchema: string | undefined;
  if (isPostgres(db as unknown as Kysely<unknown>)) {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema;
  }
  return new Migrator({ db, provider: { getMigrations: async () => migrations }, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
}

/** How long a process waits for another one's migrations on the same SQLite file, by default. */
const SQLITE_MIGRATION_WAIT_MS = 120_000;

/**
 * SQLite: the whole run in one transaction under the write lock, because Kysely's migrator takes
 * neither there (on PostgreSQL it takes both) and processes starting together on one file would each
 * migrate it. Raw statements, not db.transaction(): the Migrator refuses a Transaction, and SQLite's
 * one connection puts every statement of the run inside this one.
 */
async function underSqliteWriteLock<T>(db: Kysely<Database>, waitMs: number, run: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await sql`begin immediate`.execute(db);
      break;
    } catch (error) {
      if (!(error instanceof DatabaseBusyError)) throw error;
      if (Date.now() >= deadline) {
        throw new Error(`migrations not run: another process held the SQLite database's write lock for ${waitMs / 1000} s`);
      }
    }
  }
  try {
    const result = await run();
    await sql`commit`.execute(db);
    return result;
  } catch (error) {
    await sql`rollback`.execute(db).catch(() => {});
    throw error;
  }
}

/**
 * Applies every pending migration; throws the first failure. Returns the names applied.
 * `sqliteLockWaitMs`: how long to wait for another process's write lock on SQLite (default 2 minutes).
 */
export async function migrateToLatestOrThrow(db: Kysely<Database>, options: { sqliteLockWaitMs?: number } = {}): Promise<string[]> {
  const run = async () => {
    const { error, results } = await (await migrator(db)).migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  };
  return isPostgres(db as unknown as Kysely<unknown>) ? run() : underSqliteWriteLock(db, options.sqliteLockWaitMs ?? SQLITE_MIGRATION_WAIT_MS, run);
}

/** True when every known migration has been applied (for /readyz). */
export async function migrationsApplied(db: Kysely<Database>): Promise<boolean> {
  const list = await (await migrator(db)).getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}
