// The queries of GET /summary that progress.repository.ts does not already have: the user's day
// settings, and the ended sessions of a period by status and tag, read through their stored end day.
import type { Db, SessionStatus, WeekStart } from '../../db/database.js';
import type { DayRange } from './summary-rules.js';

/** What a summary needs to know of the user: their zone, the goal an empty day shows, the first day of their week. */
export interface SummarySettings {
  timezone: string;
  dailyGoalSeconds: number;
  weekStartsOn: WeekStart;
}

/** The ended sessions of one status and one tag (as the tag is now; null for none or a deleted one). */
export interface EndedGroup {
  status: SessionStatus;
  tag: { id: number; name: string; color: string } | null;
  focusSeconds: number;
  sessions: number;
}

export function summaryRepository(db: Db) {
  return {
    async settingsOf(userId: number): Promise<SummarySettings> {
      const row = await db
        .selectFrom('users')
        .select(['timezone', 'daily_goal_seconds', 'week_starts_on'])
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
      return { timezone: row.timezone, dailyGoalSeconds: row.daily_goal_seconds, weekStartsOn: row.week_starts_on };
    },

    /**
     * Sessions ended on the days of `range`, grouped by status and current tag. Only ended sessions
     * have an end day, and the index (user_id, ended_day) reads exactly those of the range.
     */
    async endedInRange(userId: number, range: DayRange): Promise<EndedGroup[]> {
      const rows = await db
        .selectFrom('focus_sessions as s')
        .leftJoin('tags as t', 't.id', 's.tag_id')
        .select((eb) => [
          's.status',
          't.id as tag_id',
          't.name as tag_name',
          't.color as tag_color',
          eb.fn.sum<number | string>('s.elapsed_seconds').as('focus_seconds'),
          eb.fn.countAll<number | string>().as('sessions'),
        ])
        .where('s.user_id', '=', userId)
        .where('s.ended_day', '>=', range.from)
        .where('s.ended_day', '<=', range.to)
        .groupBy(['s.status', 't.id', 't.name', 't.color'])
        .execute();
      // PostgreSQL's sum and count are bigints, which pg returns as strings.
      return rows.map((row) => ({
        status: row.status,
        tag: row.tag_id === null || row.tag_name === null || row.tag_color === null ? null : { id: row.tag_id, name: row.tag_name, color: row.tag_color },
        focusSeconds: Number(row.focus_seconds),
        sessions: Number(row.sessions),
      }));
    },
  };
}

export type SummaryRepository = ReturnType<typeof summaryRepository>;
