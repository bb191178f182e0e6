// The databases every database-touching test runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseHandle, connect } from '../src/db/connect.js';
import type { Db } from '../src/db/database.js';
import { Migrator } from 'kysely';
import { migrateToLatestOrThrow } from '../src/db/migrate.js';
import { migrations } from '../src/db/migrations/index.js';
import { createPgSchema } from './pg-schema.js';

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
    const own = await createPgSchema(pgUrl, 'focus_test');
    const handle = connect(pgUrl, { schema: own.schema, poolMax: 20 });
    await migrateToLatestOrThrow(handle.db);
    return {
      handle,
      url: pgUrl,
      schema: own.schema,
      async drop() {
        await handle.close().catch(() => {});
        await own.drop();
      },
    };
  },
};

/** A Migrator over every migration, for a migration's own test to step a created database down and up. */
export function migratorOf(created: { handle: DatabaseHandle; schema?: string }): Migrator {
  return new Migrator({
    db: created.handle.db,
    provider: { getMigrations: async () => migrations },
    ...(created.schema ? { migrationTableSchema: created.schema } : {}),
  });
}

/** A user with one day of progress, as a migration's own test writes them before stepping up to it. */
export async function userWithOneDay(db: Db, day: { focus_seconds: number; sessions_completed: number }, now = '2026-02-18T08:00:00Z'): Promise<{ id: number }> {
  const user = await db
    .insertInto('users')
    .values({ email: 'before@example.com', password_hash: 'x', display_name: null, timezone: 'UTC', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('daily_progress').values({ user_id: user.id, day: now.slice(0, 10), ...day }).execute();
  return user;
}

/** Use with describe.each: PostgreSQL appears only when TEST_DATABASE_URL is set. */
export const testDatabases: TestDatabase[] = pgUrl ? [sqlite, postgres] : [sqlite];
export const postgresEnabled = Boolean(pgUrl);
