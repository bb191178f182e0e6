// SQLite storage of the two tables every completed session writes by their composite primary key:
// daily_progress (user_id, day) and user_badges (user_id, badge_code). As rowid tables, each is a
// table B-tree plus a separate B-tree for the primary key, so every upsert looks up and writes both
// (two pages more in each commit's WAL). WITHOUT ROWID, the table is its primary key's B-tree: one
// lookup and one page. Same columns, constraints, foreign keys and data; no query changes.
//
// PostgreSQL stores every table as a heap plus its indexes and has no such choice: nothing to do there.
import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import { isPostgres } from './helpers.js';

type Storage = 'rowid' | 'without rowid';

function withStorage<T extends string>(table: CreateTableBuilder<T, never>, storage: Storage) {
  return storage === 'without rowid' ? table.modifyEnd(sql`without rowid`) : table;
}

/** The tables exactly as 0003 made them, under `name`, with the given storage. */
function createDailyProgress(db: Kysely<unknown>, name: string, storage: Storage) {
  return withStorage(
    db.schema
      .createTable(name)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('focus_seconds', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sessions_completed', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('daily_progress_pk', ['user_id', 'day']),
    storage,
  );
}

function createUserBadges(db: Kysely<unknown>, name: string, storage: Storage) {
  return withStorage(
    db.schema
      .createTable(name)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('badge_code', 'text', (c) => c.notNull().references('badge_definitions.code').onDelete('cascade').onUpdate('cascade'))
      .addColumn('earned_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_badges_pk', ['user_id', 'badge_code']),
    storage,
  );
}

/**
 * SQLite cannot change a table's storage in place: the documented way is a new table, a copy, drop
 * the old one, rename the new one, then its indexes again (https://www.sqlite.org/lang_altertable.html).
 * Neither table is referenced by a foreign key, so dropping it checks nothing. All of it or none of
 * it, in a savepoint: migrateToLatestOrThrow runs the migrations inside its own transaction (a
 * nested BEGIN would fail), and run alone (Kysely's Migrator directly) the savepoint is the
 * transaction.
 */
async function rebuild(db: Kysely<unknown>, storage: Storage): Promise<void> {
  await sql`savepoint migration_0005`.execute(db);
  try {
    await createDailyProgress(db, 'daily_progress_0005', storage).execute();
    await sql`insert into daily_progress_0005 (user_id, day, focus_seconds, sessions_completed)
      select user_id, day, focus_seconds, sessions_completed from daily_progress`.execute(db);
    await db.schema.dropTable('daily_progress').execute();
    await db.schema.alterTable('daily_progress_0005').renameTo('daily_progress').execute();

    await createUserBadges(db, 'user_badges_0005', storage).execute();
    await sql`insert into user_badges_0005 (user_id, badge_code, earned_at)
      select user_id, badge_code, earned_at from user_badges`.execute(db);
    await db.schema.dropTable('user_badges').execute(); // drops user_badges_recent with it
    await db.schema.alterTable('user_badges_0005').renameTo('user_badges').execute();
    await db.schema.createIndex('user_badges_recent').on('user_badges').columns(['user_id', 'earned_at']).execute();
  } catch (error) {
    await sql`rollback to migration_0005`.execute(db);
    await sql`release migration_0005`.execute(db);
    throw error;
  }
  await sql`release migration_0005`.execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) return;
  await rebuild(db, 'without rowid');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) return;
  await rebuild(db, 'rowid');
}
