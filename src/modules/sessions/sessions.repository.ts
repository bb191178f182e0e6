// Every query about focus sessions.
import { sql } from 'kysely';
import type { Db, FocusSessionRow, SessionStatus } from '../../db/database.js';
import type { Dialect } from '../../db/connect.js';

export interface HistoryFilter {
  limit: number;
  statuses?: SessionStatus[];
  from?: string;
  to?: string;
  after?: { startedAt: string; id: number };
}

export function sessionsRepository(db: Db, dialect: Dialect) {
  return {
    insert(userId: number, durationSeconds: number, now: string): Promise<FocusSessionRow> {
      return db
        .insertInto('focus_sessions')
        .values({
          user_id: userId,
          duration_seconds: durationSeconds,
          elapsed_seconds: 0,
          status: 'active',
          started_at: now,
          ended_at: null,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    findRunning(userId: number): Promise<FocusSessionRow | undefined> {
      return db
        .selectFrom('focus_sessions')
        .selectAll()
        .where('user_id', '=', userId)
        // literal values, not parameters: SQLite uses the partial index focus_sessions_one_running
        // only when it can see the query's condition matches the index's; with `in (?, ?)` it walks
        // the user's whole history instead (40 ms at 100,000 sessions)
        .where(sql<boolean>`status in ('active', 'paused')`)
        .executeTakeFirst();
    },

    /** The caller's session, as it is now (no lock). */
    findOwned(userId: number, id: number): Promise<FocusSessionRow | undefined> {
      return db.selectFrom('focus_sessions').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    },

    /**
     * Applies `changes` only if the row is still exactly as `current` was read: every transition
     * changes the status, and elapsed_seconds and updated_at are compared too. Undefined when it
     * changed meanwhile (nothing is written then).
     */
    updateIfUnchanged(
      current: FocusSessionRow,
      changes: { status: SessionStatus; elapsed_seconds?: number; updated_at: string },
    ): Promise<FocusSessionRow | undefined> {
      return db
        .updateTable('focus_sessions')
        .set(changes)
        .where('id', '=', current.id)
        .where('user_id', '=', current.user_id)
        .where('status', '=', current.status)
        .where('elapsed_seconds', '=', current.elapsed_seconds)
        .where('updated_at', '=', current.updated_at)
        .returningAll()
        .executeTakeFirst();
    },

    /** Applies `changes` to the caller's session if its status is one of `from`; undefined otherwise. */
    updateOwnedIfStatus(
      userId: number,
      id: number,
      from: readonly SessionStatus[],
      changes: { status: SessionStatus; updated_at: string },
    ): Promise<FocusSessionRow | undefined> {
      return db
        .updateTable('focus_sessions')
        .set(changes)
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('status', 'in', from)
        .returningAll()
        .executeTakeFirst();
    },

    /**
     * The caller's session with its owner's time zone, the session row locked for the rest of the
     * transaction on PostgreSQL (only that row: `for update of focus_sessions`).
     */
    lockOwned(userId: number, id: number): Promise<(FocusSessionRow & { timezone: string }) | undefined> {
      let query = db
        .selectFrom('focus_sessions')
        .innerJoin('users', 'users.id', 'focus_sessions.user_id')
        .selectAll('focus_sessions')
        .select('users.timezone')
        .where('focus_sessions.id', '=', id)
        .where('focus_sessions.user_id', '=', userId);
      if (dialect === 'postgres') query = query.forUpdate('focus_sessions');
      return query.executeTakeFirst();
    },

    update(
      id: number,
      changes: { status: SessionStatus; elapsed_seconds?: number; ended_at?: string | null; updated_at: string },
    ): Promise<FocusSessionRow> {
      return db.updateTable('focus_sessions').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    },

    history(userId: number, filter: HistoryFilter): Promise<FocusSessionRow[]> {
      let query = db.selectFrom('focus_sessions').selectAll().where('user_id', '=', userId);
      if (filter.statuses) query = query.where('status', 'in', filter.statuses);
      if (filter.from !== undefined) query = query.where('started_at', '>=', filter.from);
      if (filter.to !== undefined) query = query.where('started_at', '<=', filter.to);
      const after = filter.after;
      if (after) {
        query = query.where((eb) =>
          eb.or([
            eb('started_at', '<', after.startedAt),
            eb.and([eb('started_at', '=', after.startedAt), eb('id', '<', after.id)]),
          ]),
        );
      }
      return query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1).execute();
    },
  };
}

export type SessionsRepository = ReturnType<typeof sessionsRepository>;
