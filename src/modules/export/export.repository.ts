// The export's own reads: one user's sessions a page at a time in keyset order (a download never
// holds the whole history, and page 200 costs what page 1 costs), and the span of their stored days.
import type { Db } from '../../db/database.js';
import type { SessionRecord } from '../sessions/sessions.repository.js';

/** Where the previous page of sessions stopped: its last row's (started_at, id). */
export interface SessionKey {
  startedAt: string;
  id: number;
}

export function exportRepository(db: Db) {
  return {
    /**
     * At most `limit` sessions of the user after `after`, oldest first (started_at, then id: the
     * history's order reversed, on the same index), each with its tag's current name and colour.
     */
    sessionsPage(userId: number, after: SessionKey | null, limit: number): Promise<SessionRecord[]> {
      let query = db
        .selectFrom('focus_sessions')
        .leftJoin('tags', 'tags.id', 'focus_sessions.tag_id')
        .selectAll('focus_sessions')
        .select(['tags.name as tag_name', 'tags.color as tag_color'])
        .where('focus_sessions.user_id', '=', userId);
      if (after) {
        query = query.where((eb) =>
          eb.or([
            eb('focus_sessions.started_at', '>', after.startedAt),
            eb.and([eb('focus_sessions.started_at', '=', after.startedAt), eb('focus_sessions.id', '>', after.id)]),
          ]),
        );
      }
      return query.orderBy('focus_sessions.started_at').orderBy('focus_sessions.id').limit(limit).execute();
    },

    /** The first and last stored day of the user, or undefined when they have none. */
    async storedDays(userId: number): Promise<{ first: string; last: string } | undefined> {
      const row = await db
        .selectFrom('daily_progress')
        .select((eb) => [eb.fn.min('day').as('first'), eb.fn.max('day').as('last')])
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row?.first != null && row.last != null ? { first: row.first, last: row.last } : undefined;
    },
  };
}

export type ExportRepository = ReturnType<typeof exportRepository>;
