// Every query about daily progress and per-user totals. Each one touches at most one user's rows by key.
import type { Selectable } from 'kysely';
import type { DailyProgressTable, Db, UserTotalsTable } from '../../db/database.js';
import { prepare } from '../../db/prepared.js';
import { type DayProgress, EMPTY_TOTALS, type Totals } from './progress-rules.js';

function toTotals(row: Selectable<UserTotalsTable>): Totals {
  return {
    sessionsCompleted: Number(row.sessions_completed),
    sessionsAbandoned: Number(row.sessions_abandoned),
    focusSeconds: Number(row.focus_seconds),
    currentStreak: row.current_streak,
    longestStreak: row.longest_streak,
    lastActiveDay: row.last_active_day,
    freezesAvailable: row.freezes_available,
    longestSessionSeconds: row.longest_session_seconds,
    bestDaySessions: row.best_day_sessions,
    bestDayFocusSeconds: row.best_day_focus_seconds,
  };
}

function toColumns(totals: Totals) {
  return {
    sessions_completed: totals.sessionsCompleted,
    sessions_abandoned: totals.sessionsAbandoned,
    focus_seconds: totals.focusSeconds,
    current_streak: totals.currentStreak,
    longest_streak: totals.longestStreak,
    last_active_day: totals.lastActiveDay,
    freezes_available: totals.freezesAvailable,
    longest_session_seconds: totals.longestSessionSeconds,
    best_day_sessions: totals.bestDaySessions,
    best_day_focus_seconds: totals.bestDayFocusSeconds,
  };
}

const DAY_COLUMNS = ['day', 'focus_seconds', 'sessions_completed', 'goal_seconds', 'frozen'] as const;

function toDayProgress(row: Pick<Selectable<DailyProgressTable>, (typeof DAY_COLUMNS)[number]>): DayProgress {
  return {
    day: row.day,
    focusSeconds: row.focus_seconds,
    sessionsCompleted: row.sessions_completed,
    goalSeconds: row.goal_seconds,
    // The stored flag records that a freeze was spent on the day and stays; a late completion on it
    // makes it read as a day with completions (contract 13).
    frozen: Number(row.frozen) === 1 && row.sessions_completed === 0,
  };
}

// The completion's statements, built and compiled once (src/db/prepared.ts).
const lockTotalsQuery = prepare((db, p: { userId: number; now: string }) =>
  db
    .insertInto('user_totals')
    .values({ user_id: p.userId, ...toColumns(EMPTY_TOTALS), updated_at: p.now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet((eb) => ({ user_id: eb.ref('excluded.user_id') })))
    .returningAll(),
);

const saveTotalsQuery = prepare((db, p: Totals & { userId: number; now: string }) =>
  db
    .updateTable('user_totals')
    .set({ ...toColumns(p), updated_at: p.now })
    .where('user_id', '=', p.userId),
);

// The day takes the goal in force now (contract 12), read from the user's row by the same statement:
// no extra round trip in the completion, and a goal changed before this statement is the one kept.
const addToDayQuery = prepare((db, p: { userId: number; day: string; focusSeconds: number }) =>
  db
    .insertInto('daily_progress')
    .values((eb) => ({
      user_id: p.userId,
      day: p.day,
      focus_seconds: p.focusSeconds,
      sessions_completed: 1,
      goal_seconds: eb.selectFrom('users').select('users.daily_goal_seconds').where('users.id', '=', p.userId),
    }))
    .onConflict((oc) =>
      oc.columns(['user_id', 'day']).doUpdateSet((eb) => ({
        focus_seconds: eb('daily_progress.focus_seconds', '+', eb.ref('excluded.focus_seconds')),
        sessions_completed: eb('daily_progress.sessions_completed', '+', 1),
        goal_seconds: eb.ref('excluded.goal_seconds'),
      })),
    )
    .returning(DAY_COLUMNS),
);

// A day a streak freeze covers (contract 13): no focus, no sessions, the goal in force, like a day
// with completions. Such a day lies after the last active day, so it has no row yet; DO NOTHING keeps
// any row there as it is.
const freezeDayQuery = prepare((db, p: { userId: number; day: string }) =>
  db
    .insertInto('daily_progress')
    .values((eb) => ({
      user_id: p.userId,
      day: p.day,
      focus_seconds: 0,
      sessions_completed: 0,
      goal_seconds: eb.selectFrom('users').select('users.daily_goal_seconds').where('users.id', '=', p.userId),
      frozen: 1,
    }))
    .onConflict((oc) => oc.columns(['user_id', 'day']).doNothing()),
);

export function progressRepository(db: Db) {
  return {
    async totalsOf(userId: number): Promise<Totals> {
      const row = await db.selectFrom('user_totals').selectAll().where('user_id', '=', userId).executeTakeFirst();
      return row ? toTotals(row) : EMPTY_TOTALS;
    },

    /**
     * The user's totals row, created when missing and locked for the transaction on PostgreSQL, in
     * one statement: ON CONFLICT DO UPDATE locks the existing row (a no-op write) and RETURNING reads it.
     */
    async lockTotals(userId: number, now: string): Promise<Totals> {
      return toTotals(await lockTotalsQuery.firstOrThrow(db, { userId, now }));
    },

    async saveTotals(userId: number, totals: Totals, now: string): Promise<void> {
      await saveTotalsQuery.run(db, { ...totals, userId, now });
    },

    async countAbandoned(userId: number, now: string): Promise<void> {
      await db
        .insertInto('user_totals')
        .values({ user_id: userId, ...toColumns({ ...EMPTY_TOTALS, sessionsAbandoned: 1 }), updated_at: now })
        .onConflict((oc) =>
          oc.column('user_id').doUpdateSet((eb) => ({
            sessions_abandoned: eb('user_totals.sessions_abandoned', '+', 1),
            updated_at: now,
          })),
        )
        .execute();
    },

    /** Adds one completed session to the (user, day) row, creating it, sets its goal to the current one, and returns the row after. */
    async addToDay(userId: number, day: string, focusSeconds: number): Promise<DayProgress> {
      return toDayProgress(await addToDayQuery.firstOrThrow(db, { userId, day, focusSeconds }));
    },

    /** Stores the days a streak freeze covered as frozen day rows (at most two: one statement each). */
    async freezeDays(userId: number, days: readonly string[]): Promise<void> {
      for (const day of days) await freezeDayQuery.run(db, { userId, day });
    },

    /** The (user, day) row, or undefined for a day without a completed session nor a freeze. */
    async day(userId: number, day: string): Promise<DayProgress | undefined> {
      const row = await db
        .selectFrom('daily_progress')
        .select(DAY_COLUMNS)
        .where('user_id', '=', userId)
        .where('day', '=', day)
        .executeTakeFirst();
      return row && toDayProgress(row);
    },

    async days(userId: number, from: string, to: string): Promise<DayProgress[]> {
      const rows = await db
        .selectFrom('daily_progress')
        .select(DAY_COLUMNS)
        .where('user_id', '=', userId)
        .where('day', '>=', from)
        .where('day', '<=', to)
        .orderBy('day')
        .execute();
      return rows.map(toDayProgress);
    },
  };
}

export type ProgressRepository = ReturnType<typeof progressRepository>;
