import { type Kysely, Migrator, sql } from 'kysely';
import type { Database } from './database.js';
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

/** Applies every pending migration; throws the first failure. Returns the names applied. */
export async function migrateToLatestOrThrow(db: Kysely<Database>): Promise<string[]> {
  const { error, results } = await (await migrator(db)).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every known migration has been applied (for /readyz). */
export async function migrationsApplied(db: Kysely<Database>): Promise<boolean> {
  const list = await (await migrator(db)).getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}
