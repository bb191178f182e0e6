// Settings and a daily goal (contract section 12). The three settings live on the user row, read with
// the time zone in the same lookup. Each day row keeps the goal in force at its last completion, so
// changing the goal later never rewrites a past day; rows written before this migration had no goal.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Column-level checks: SQLite can add them with ALTER TABLE and drops them with their column.
  await db.schema
    .alterTable('users')
    .addColumn('daily_goal_seconds', 'integer', (c) => c.notNull().defaultTo(0).check(sql`daily_goal_seconds between 0 and 86400`))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('default_duration_seconds', 'integer', (c) => c.notNull().defaultTo(1500).check(sql`default_duration_seconds between 60 and 86400`))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('week_starts_on', 'text', (c) => c.notNull().defaultTo('monday').check(sql`week_starts_on in ('monday', 'sunday')`))
    .execute();
  await db.schema
    .alterTable('daily_progress')
    .addColumn('goal_seconds', 'integer', (c) => c.notNull().defaultTo(0).check(sql`goal_seconds between 0 and 86400`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('daily_progress').dropColumn('goal_seconds').execute();
  await db.schema.alterTable('users').dropColumn('week_starts_on').execute();
  await db.schema.alterTable('users').dropColumn('default_duration_seconds').execute();
  await db.schema.alterTable('users').dropColumn('daily_goal_seconds').execute();
}
