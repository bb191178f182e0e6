// Every query about focus sessions. The ones on the hot paths (start, active, pause, resume, end,
// the first pages of history) are built and compiled once (src/db/prepared.ts); the rest are builders.
import { type ExpressionBuilder, sql } from 'kysely';
import type { Database, Db, FocusSessionRow, SessionStatus } from '../../db/database.js';
import { type Prepared, prepare } from '../../db/prepared.js';

export interface HistoryFilter {
  limit: number;
  statuses?: SessionStatus[];
  from?: string;
  to?: string;
  after?: { startedAt: string; id: number };
}

const insertQuery = prepare((db, p: { userId: number; durationSeconds: number; now: string }) =>
  db
    .insertInto('focus_sessions')
    .values({
      user_id: p.userId,
      duration_seconds: p.durationSeconds,
      elapsed_seconds: 0,
      status: 'active',
      started_at: p.now,
      ended_at: null,
      updated_at: p.now,
    })
    .returningAll(),
);

const findRunningQuery = prepare((db, p: { userId: number }) =>
  db
    .selectFrom('focus_sessions')
    .selectAll()
    .where('user_id', '=', p.userId)
    // literal values, not parameters: SQLite uses the partial index focus_sessions_one_running
    // only when it can see the query's condition matches the index's; with `in (?, ?)` it walks
    // the user's whole history instead (40 ms at 100,000 sessions)
    .where(sql<boolean>`status in ('active', 'paused')`),
);

const findOwnedQuery = prepare((db, p: { userId: number; id: number }) =>
  db.selectFrom('focus_sessions').selectAll().where('id', '=', p.id).where('user_id', '=', p.userId),
);

interface Unchanged {
  id: number;
  userId: number;
  status: SessionStatus;
  elapsedSeconds: number;
  updatedAt: string;
}

// The row is still exactly as it was read: every transition changes the status, and elapsed_seconds
// and updated_at are compared too (a change that keeps elapsed_seconds writes the value it compared).
const updateIfUnchangedQuery = prepare(
  (db, p: Unchanged & { newStatus: SessionStatus; newElapsedSeconds: number; newUpdatedAt: string }) =>
    db
      .updateTable('focus_sessions')
      .set({ status: p.newStatus, elapsed_seconds: p.newElapsedSeconds, updated_at: p.newUpdatedAt })
      .where('id', '=', p.id)
      .where('user_id', '=', p.userId)
      .where('status', '=', p.status)
      .where('elapsed_seconds', '=', p.elapsedSeconds)
      .where('updated_at', '=', p.updatedAt)
      .returningAll(),
);

type StatusUpdate = Prepared<{ userId: number; id: number; status: SessionStatus; updatedAt: string }, FocusSessionRow>;
// One compiled query per list of statuses it may change from (the list is part of the SQL text).
const updateOwnedIfStatusQueries = new Map<string, StatusUpdate>();
function updateOwnedIfStatusQuery(from: readonly SessionStatus[]): StatusUpdate {
  const key = from.join(',');
  let query = updateOwnedIfStatusQueries.get(key);
  if (query === undefined) {
    const statuses = [...from];
    query = prepare((db, p: { userId: number; id: number; status: SessionStatus; updatedAt: string }) =>
      db
        .updateTable('focus_sessions')
        .set({ status: p.status, updated_at: p.updatedAt })
        .where('id', '=', p.id)
        .where('user_id', '=', p.userId)
        .where('status', 'in', statuses)
        .returningAll(),
    );
    updateOwnedIfStatusQueries.set(key, query);
  }
  return query;
}

const lockOwnedQuery = prepare((db, p: { userId: number; id: number }, dialect) => {
  const query = db
    .selectFrom('focus_sessions')
    .innerJoin('users', 'users.id', 'focus_sessions.user_id')
    .selectAll('focus_sessions')
    .select('users.timezone')
    .where('focus_sessions.id', '=', p.id)
    .where('focus_sessions.user_id', '=', p.userId);
  return dialect === 'postgres' ? query.forUpdate('focus_sessions') : query;
});

const finishQuery = prepare(
  (db, p: { id: number; status: SessionStatus; elapsedSeconds: number; endedAt: string; updatedAt: string }) =>
    db
      .updateTable('focus_sessions')
      .set({ status: p.status, elapsed_seconds: p.elapsedSeconds, ended_at: p.endedAt, updated_at: p.updatedAt })
      .where('id', '=', p.id)
      .returningAll(),
);

/** Keyset: the sessions after the cursor's (started_at, id) in newest-first order. */
function afterCursor(eb: ExpressionBuilder<Database, 'focus_sessions'>, startedAt: string, id: number) {
  return eb.or([eb('started_at', '<', startedAt), eb.and([eb('started_at', '=', startedAt), eb('id', '<', id)])]);
}

// History without filters, the first page and the pages after a cursor (newest first, keyset).
const historyFirstPageQuery = prepare((db, p: { userId: number; limit: number }) =>
  db.selectFrom('focus_sessions').selectAll().where('user_id', '=', p.userId).orderBy('started_at', 'desc').orderBy('id', 'desc').limit(p.limit),
);

const historyAfterQuery = prepare((db, p: { userId: number; limit: number; afterStartedAt: string; afterId: number }) =>
  db
    .selectFrom('focus_sessions')
    .selectAll()
    .where('user_id', '=', p.userId)
    .where((eb) => afterCursor(eb, p.afterStartedAt, p.afterId))
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(p.limit),
);

export function sessionsRepository(db: Db) {
  return {
    insert(userId: number, durationSeconds: number, now: string): Promise<FocusSessionRow> {
      return insertQuery.firstOrThrow(db, { userId, durationSeconds, now });
    },

    findRunning(userId: number): Promise<FocusSessionRow | undefined> {
      return findRunningQuery.first(db, { userId });
    },

    /** The caller's session, as it is now (no lock). */
    findOwned(userId: number, id: number): Promise<FocusSessionRow | undefined> {
      return findOwnedQuery.first(db, { userId, id });
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
      return updateIfUnchangedQuery.first(db, {
        id: current.id,
        userId: current.user_id,
        status: current.status,
        elapsedSeconds: current.elapsed_seconds,
        updatedAt: current.updated_at,
        newStatus: changes.status,
        newElapsedSeconds: changes.elapsed_seconds ?? current.elapsed_seconds,
        newUpdatedAt: changes.updated_at,
      });
    },

    /** Applies `changes` to the caller's session if its status is one of `from`; undefined otherwise. */
    updateOwnedIfStatus(
      userId: number,
      id: number,
      from: readonly SessionStatus[],
      changes: { status: SessionStatus; updated_at: string },
    ): Promise<FocusSessionRow | undefined> {
      return updateOwnedIfStatusQuery(from).first(db, { userId, id, status: changes.status, updatedAt: changes.updated_at });
    },

    /**
     * The caller's session with its owner's time zone, the session row locked for the rest of the
     * transaction on PostgreSQL (only that row: `for update of focus_sessions`).
     */
    lockOwned(userId: number, id: number): Promise<(FocusSessionRow & { timezone: string }) | undefined> {
      return lockOwnedQuery.first(db, { userId, id });
    },

    update(
      id: number,
      changes: { status: SessionStatus; elapsed_seconds?: number; ended_at?: string | null; updated_at: string },
    ): Promise<FocusSessionRow> {
      return db.updateTable('focus_sessions').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    },

    /** Ends the session: its final status, elapsed time and end. */
    finish(
      id: number,
      changes: { status: SessionStatus; elapsed_seconds: number; ended_at: string; updated_at: string },
    ): Promise<FocusSessionRow> {
      return finishQuery.firstOrThrow(db, {
        id,
        status: changes.status,
        elapsedSeconds: changes.elapsed_seconds,
        endedAt: changes.ended_at,
        updatedAt: changes.updated_at,
      });
    },

    history(userId: number, filter: HistoryFilter): Promise<FocusSessionRow[]> {
      const after = filter.after;
      if (!filter.statuses && filter.from === undefined && filter.to === undefined) {
        return after
          ? historyAfterQuery.rows(db, { userId, limit: filter.limit + 1, afterStartedAt: after.startedAt, afterId: after.id })
          : historyFirstPageQuery.rows(db, { userId, limit: filter.limit + 1 });
      }
      let query = db.selectFrom('focus_sessions').selectAll().where('user_id', '=', userId);
      if (filter.statuses) query = query.where('status', 'in', filter.statuses);
      if (filter.from !== undefined) query = query.where('started_at', '>=', filter.from);
      if (filter.to !== undefined) query = query.where('started_at', '<=', filter.to);
      if (after) query = query.where((eb) => afterCursor(eb, after.startedAt, after.id));
      return query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1).execute();
    },
  };
}

export type SessionsRepository = ReturnType<typeof sessionsRepository>;
