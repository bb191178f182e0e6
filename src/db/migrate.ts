import { type DatabaseIntrospector, type Kysely, Migrator, type TableMetadata, sql } from 'kysely';
import type { Database } from './database.js';
import { DatabaseBusyError } from './errors.js';
import { isPostgres } from './migrations/helpers.js';
import { migrations } from './migrations/index.js';

/**
 * Kysely's migrator asks whether its own tables exist by introspecting every table and column of the
 * whole PostgreSQL database (PostgresIntrospector.getTables), which calls pg_get_serial_sequence on
 * each column: a column dropped at that moment by another session anywhere in the database (another
 * application, another test schema migrating down) fails it with "column … of relation … does not
 * exist", and a busy database makes every migration run and /readyz scan all of it. The migrator
 * needs table names only: these come from the current schema's catalog alone.
 */
function withCurrentSchemaTables(db: Kysely<Database>): Kysely<Database> {
  const getTables = async (): Promise<TableMetadata[]> => {
    const { rows } = await sql<{ name: string; schema: string; is_view: boolean }>`
      select c.relname as name, n.nspname as schema, c.relkind = 'v' as is_view
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'v', 'p')`.execute(db);
    return rows.map((row) => ({ name: row.name, schema: row.schema, isView: row.is_view, columns: [] }));
  };
  const introspection: DatabaseIntrospector = {
    getSchemas: () => db.introspection.getSchemas(),
    getTables,
    getMetadata: async () => ({ tables: await getTables() }),
  };
  // Kysely keeps its state in private fields: its methods must run on the instance itself
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') return introspection;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

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
  return new Migrator({
    db: migrationTableSchema ? withCurrentSchemaTables(db) : db,
    provider: { getMigrations: async () => migrations },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
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
