// Completion side effects: daily progress per local day, per-user totals (so nothing scans history),
// badge definitions as data (seeded with the default catalogue of contract 7) and awarded badges.
import { type Kysely, sql } from 'kysely';

/** The default catalogue of contract 7, in display order. */
export const DEFAULT_BADGES = [
  { code: 'first_focus', name: 'First Focus', description: 'Complete your first focus session.', criteria_type: 'total_sessions', threshold: 1 },
  { code: 'sessions_10', name: 'Ten Sessions', description: 'Complete 10 focus sessions.', criteria_type: 'total_sessions', threshold: 10 },
  { code: 'sessions_50', name: 'Fifty Sessions', description: 'Complete 50 focus sessions.', criteria_type: 'total_sessions', threshold: 50 },
  { code: 'sessions_100', name: 'Century', description: 'Complete 100 focus sessions.', criteria_type: 'total_sessions', threshold: 100 },
  { code: 'focus_1h', name: 'First Hour', description: 'Focus for 1 hour in total.', criteria_type: 'total_focus_seconds', threshold: 3600 },
  { code: 'focus_10h', name: 'Ten Hours', description: 'Focus for 10 hours in total.', criteria_type: 'total_focus_seconds', threshold: 36000 },
  { code: 'focus_100h', name: 'Hundred Hours', description: 'Focus for 100 hours in total.', criteria_type: 'total_focus_seconds', threshold: 360000 },
  { code: 'streak_3', name: 'Three-Day Streak', description: 'Complete a session on 3 days in a row.', criteria_type: 'streak_days', threshold: 3 },
  { code: 'streak_7', name: 'Week Streak', description: 'Complete a session on 7 days in a row.', criteria_type: 'streak_days', threshold: 7 },
  { code: 'streak_30', name: 'Month Streak', description: 'Complete a session on 30 days in a row.', criteria_type: 'streak_days', threshold: 30 },
  { code: 'deep_work', name: 'Deep Work', description: 'Complete a single session of at least 1 hour.', criteria_type: 'session_focus_seconds', threshold: 3600 },
  { code: 'daily_4', name: 'Four a Day', description: 'Complete 4 sessions in one day.', criteria_type: 'daily_sessions', threshold: 4 },
  { code: 'early_bird', name: 'Early Bird', description: 'Complete a session before 8:00 in the morning.', criteria_type: 'ended_before_hour', threshold: 8 },
  { code: 'night_owl', name: 'Night Owl', description: 'Complete a session at 22:00 or later.', criteria_type: 'ended_at_or_after_hour', threshold: 22 },
] as const;

const CRITERIA_TYPES_SQL = sql`criteria_type in ('total_sessions', 'total_focus_seconds', 'streak_days', 'session_focus_seconds', 'daily_sessions', 'daily_focus_seconds', 'ended_before_hour', 'ended_at_or_after_hour')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('daily_progress')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('focus_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sessions_completed', 'integer', (c) => c.notNull().defaultTo(0))
    // the primary key is also the index of the range read (user, day between from and to)
    .addPrimaryKeyConstraint('daily_progress_pk', ['user_id', 'day'])
    .execute();

  await db.schema
    .createTable('user_totals')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('sessions_completed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sessions_abandoned', 'integer', (c) => c.notNull().defaultTo(0))
    // bigint: 100 hours a day for decades still fits, and pg returns int8 as a number (connect.ts)
    .addColumn('focus_seconds', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('current_streak', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('longest_streak', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_active_day', 'text')
    .addColumn('longest_session_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('best_day_sessions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('best_day_focus_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('badge_definitions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('criteria_type', 'text', (c) => c.notNull())
    .addColumn('threshold', 'integer', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('badge_definitions_criteria_type', CRITERIA_TYPES_SQL)
    .addCheckConstraint('badge_definitions_threshold', sql`threshold >= 0`)
    .execute();

  await db.schema
    .createTable('user_badges')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('badge_code', 'text', (c) => c.notNull().references('badge_definitions.code').onDelete('cascade').onUpdate('cascade'))
    .addColumn('earned_at', 'text', (c) => c.notNull())
    // never awarded twice, whatever the code does
    .addPrimaryKeyConstraint('user_badges_pk', ['user_id', 'badge_code'])
    .execute();
  await db.schema.createIndex('user_badges_recent').on('user_badges').columns(['user_id', 'earned_at']).execute();

  const now = new Date().toISOString().slice(0, 19) + 'Z';
  await (db as Kysely<{ badge_definitions: Record<string, unknown> }>)
    .insertInto('badge_definitions')
    .values(DEFAULT_BADGES.map((badge, i) => ({ ...badge, sort_order: (i + 1) * 10, created_at: now, updated_at: now })))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('user_badges').execute();
  await db.schema.dropTable('badge_definitions').execute();
  await db.schema.dropTable('user_totals').execute();
  await db.schema.dropTable('daily_progress').execute();
}
