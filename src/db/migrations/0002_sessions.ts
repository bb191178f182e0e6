import { type Kysely, sql } from 'kysely';
import { withId } from './helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('focus_sessions'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('duration_seconds', 'integer', (c) => c.notNull())
    .addColumn('elapsed_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('focus_sessions_status', sql`status in ('active', 'paused', 'completed', 'abandoned')`)
    .addCheckConstraint('focus_sessions_elapsed', sql`elapsed_seconds >= 0 and elapsed_seconds <= duration_seconds`)
    .execute();
  // The invariant itself: at most one running (active or paused) session per user.
  await db.schema
    .createIndex('focus_sessions_one_running')
    .on('focus_sessions')
    .column('user_id')
    .unique()
    .where(sql.ref('status'), 'in', ['active', 'paused'])
    .execute();
  // History: newest first per user, keyset on (started_at, id).
  await db.schema
    .createIndex('focus_sessions_history')
    .on('focus_sessions')
    .columns(['user_id', 'started_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('focus_sessions').execute();
}
