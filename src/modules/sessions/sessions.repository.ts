// Every query about focus sessions. The ones on the hot paths (start, active, pause, resume, end,
// the first pages of history) are built and compiled once (src/db/prepared.ts); the rest are builders.
import { type Compilable, type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Database, Db, FocusSessionRow, SessionStatus } from '../../db/database.js';
import { type Prepared, type PreparedParams, prepare } from '../../db/prepared.js';

/** A pause or resume: the new status and every time it records (under the row's lock, so a value kept is written as read). */
export interface SessionChanges {
  status: SessionStatus;
  elapsed_seconds: number;
  updated_at: string;
  resumed_at: string | null;
  last_transition_at: string;
  active_seconds: number;
}

export interface HistoryFilter {
  limit: number;
  statuses?: SessionStatus[];
  /** Only the sessions carrying this tag. */
  tagId?: number;
  from?: string;
  to?: string;
  after?: { startedAt: string; id: number };
}

/** A session row with its tag's current name and colour (both null when it has no tag). */
export type SessionRecord = FocusSessionRow & { tag_name: string | null; tag_color: string | null };

// What a session object shows (toSessionDto): the reads that only answer with sessions select these,
// not every column (better-sqlite3 makes a string of each text value of each row).
const VIEW_COLUMNS = ['id', 'user_id', 'duration_seconds', 'elapsed_seconds', 'status', 'started_at', 'ended_at', 'resumed_at', 'tag_id', 'note'] as const;
/** The columns of a session object, with its tag's current name and colour. */
export type SessionView = Pick<SessionRecord, (typeof VIEW_COLUMNS)[number] | 'tag_name' | 'tag_color'>;

// The tag a session carries, for every statement that returns sessions: as correlated subqueries by
// the tags primary key rather than a join, because the same expressions then serve SELECT and the
// RETURNING of INSERT and UPDATE on both databases (SQLite's RETURNING cannot see a joined table),
// and no WHERE or ORDER BY of the queries they extend has to change. Each is one key lookup per row,
// in the same statement.
const tagOfSession = (column: 'name' | 'color') =>
  sql<string | null>`(select ${sql.ref(`tags.${column}`)} from ${sql.table('tags')} where ${sql.ref('tags.id')} = ${sql.ref('focus_sessions.tag_id')})`;
const TAG_COLUMNS = [tagOfSession('name').as('tag_name'), tagOfSession('color').as('tag_color')];

const insertQuery = prepare((db, p: { userId: number; durationSeconds: number; at: string; now: string; tagId: number | null; note: string | null }) =>
  db
    .insertInto('focus_sessions')
    .values({
      user_id: p.userId,
      duration_seconds: p.durationSeconds,
      elapsed_seconds: 0,
      status: 'active',
      started_at: p.at,
      ended_at: null,
      updated_at: p.now,
      resumed_at: p.at,
      last_transition_at: p.at,
      tag_id: p.tagId,
      note: p.note,
    })
    .returningAll()
    .returning(TAG_COLUMNS),
);

// Only a start with a device's `at` asks (a queued start, rare): it reads the user's ended sessions
// through focus_sessions_history, so its cost grows with that user's history.
const latestEndedAtQuery = prepare((db, p: { userId: number }) =>
  db.selectFrom('focus_sessions').select((eb) => eb.fn.max('ended_at').as('latest')).where('user_id', '=', p.userId),
);

const findRunningQuery = prepare((db, p: { userId: number }) =>
  db
    .selectFrom('focus_sessions')
    .select(VIEW_COLUMNS)
    .select(TAG_COLUMNS)
    .where('user_id', '=', p.userId)
    // literal values, not parameters: SQLite uses the partial index focus_sessions_one_running
    // only when it can see the query's condition matches the index's; with `in (?, ?)` it walks
    // the user's whole history instead (40 ms at 100,000 sessions)
    .where(sql<boolean>`status in ('active', 'paused')`),
);

const findOwnedQuery = prepare((db, p: { userId: number; id: number }) =>
  db.selectFrom('focus_sessions').selectAll().select(TAG_COLUMNS).where('id', '=', p.id).where('user_id', '=', p.userId),
);

// Resume in one statement: the UPDATE itself checks the owner and the state machine, and records the
// run's start at `at` unless the pause it ends is later (another server's clock ahead of this one's):
// a run never starts before the last transition.
const resumeIfPausedQuery = prepare((db, p: { userId: number; id: number; at: string; updatedAt: string }) => {
  const runStart = sql<string>`case when last_transition_at > ${p.at} then last_transition_at else ${p.at} end`;
  return db
    .updateTable('focus_sessions')
    .set({ status: 'active', updated_at: p.updatedAt, resumed_at: runStart, last_transition_at: runStart })
    .where('id', '=', p.id)
    .where('user_id', '=', p.userId)
    .where('status', '=', 'paused')
    .returningAll()
    .returning(TAG_COLUMNS);
});

const transitionQuery = prepare((db, p: SessionChanges & { id: number }) =>
  db
    .updateTable('focus_sessions')
    .set({
      status: p.status,
      elapsed_seconds: p.elapsed_seconds,
      updated_at: p.updated_at,
      resumed_at: p.resumed_at,
      last_transition_at: p.last_transition_at,
      active_seconds: p.active_seconds,
    })
    .where('id', '=', p.id)
    .returningAll()
    .returning(TAG_COLUMNS),
);

const lockOwnedQuery = prepare((db, p: { userId: number; id: number }, dialect) => {
  const query = db
    .selectFrom('focus_sessions')
    .innerJoin('users', 'users.id', 'focus_sessions.user_id')
    .selectAll('focus_sessions')
    .select(TAG_COLUMNS)
    .select('users.timezone')
    .where('focus_sessions.id', '=', p.id)
    .where('focus_sessions.user_id', '=', p.userId);
  return dialect === 'postgres' ? query.forUpdate('focus_sessions') : query;
});

const finishQuery = prepare(
  (db, p: { id: number; status: SessionStatus; elapsedSeconds: number; endedAt: string; endedDay: string; activeSeconds: number; updatedAt: string }) =>
    db
      .updateTable('focus_sessions')
      .set({
        status: p.status,
        elapsed_seconds: p.elapsedSeconds,
        ended_at: p.endedAt,
        ended_day: p.endedDay,
        active_seconds: p.activeSeconds,
        resumed_at: null,
        last_transition_at: p.endedAt,
        updated_at: p.updatedAt,
      })
      .where('id', '=', p.id)
      .returningAll()
      .returning(TAG_COLUMNS),
);

/** Keyset: the sessions after the cursor's (started_at, id) in newest-first order. */
function afterCursor(eb: ExpressionBuilder<Database, 'focus_sessions'>, startedAt: string, id: number) {
  return eb.or([eb('started_at', '<', startedAt), eb.and([eb('started_at', '=', startedAt), eb('id', '<', id)])]);
}

/** The user's sessions with their tags; every history query narrows it, then takes a page. */
function sessionsOf(db: Kysely<Database>, userId: number) {
  return db.selectFrom('focus_sessions').select(VIEW_COLUMNS).select(TAG_COLUMNS).where('user_id', '=', userId);
}

/**
 * Newest first (started_at, then id: the keyset), at most `limit` rows. The limit is written into the
 * SQL, not bound: SQLite (3.53) plans a bound LIMIT with its value, so it prepared such a statement
 * anew at every run, about 10 µs a history page (docs/performance.md, issue 12).
 */
function newestFirst(query: ReturnType<typeof sessionsOf>, limit: number) {
  return query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(sql.lit(limit));
}

/**
 * A history query prepared once per page size (newestFirst's literal limit: 2 to 101 rows with the
 * look-ahead row); `build` gets the size beside the parameters.
 */
function perPageSize<P extends PreparedParams<P>, O>(
  build: (db: Kysely<Database>, p: P, limit: number) => Compilable<O>,
): (limit: number) => Prepared<P, O> {
  const made = new Map<number, Prepared<P, O>>();
  return (limit) => {
    let query = made.get(limit);
    if (query === undefined) {
      query = prepare((db, p: P) => build(db, p, limit));
      made.set(limit, query);
    }
    return query;
  };
}

// History without filters, or filtered by tag alone (what a client's tag screen asks): the first page
// and the pages after a cursor. A tag has one owner, so its pages walk focus_sessions_tag_history.
const historyFirstPageQuery = perPageSize((db, p: { userId: number }, limit) => newestFirst(sessionsOf(db, p.userId), limit));

const historyAfterQuery = perPageSize((db, p: { userId: number; afterStartedAt: string; afterId: number }, limit) =>
  newestFirst(
    sessionsOf(db, p.userId).where((eb) => afterCursor(eb, p.afterStartedAt, p.afterId)),
    limit,
  ),
);

const taggedFirstPageQuery = perPageSize((db, p: { userId: number; tagId: number }, limit) =>
  newestFirst(sessionsOf(db, p.userId).where('tag_id', '=', p.tagId), limit),
);

const taggedAfterQuery = perPageSize((db, p: { userId: number; tagId: number; afterStartedAt: string; afterId: number }, limit) =>
  newestFirst(
    sessionsOf(db, p.userId)
      .where('tag_id', '=', p.tagId)
      .where((eb) => afterCursor(eb, p.afterStartedAt, p.afterId)),
    limit,
  ),
);

export function sessionsRepository(db: Db) {
  return {
    /** A new active session whose first run begins `at`, with its label (tag and note, each may be null). */
    insert(userId: number, durationSeconds: number, at: string, now: string, label: { tagId: number | null; note: string | null }): Promise<SessionRecord> {
      return insertQuery.firstOrThrow(db, { userId, durationSeconds, at, now, tagId: label.tagId, note: label.note });
    },

    /** The latest ended_at of the user's sessions, or undefined before their first end. */
    async latestEndedAt(userId: number): Promise<string | undefined> {
      return (await latestEndedAtQuery.first(db, { userId }))?.latest ?? undefined;
    },

    findRunning(userId: number): Promise<SessionView | undefined> {
      return findRunningQuery.first(db, { userId });
    },

    /** The caller's session, as it is now (no lock). */
    findOwned(userId: number, id: number): Promise<SessionRecord | undefined> {
      return findOwnedQuery.first(db, { userId, id });
    },

    /** Resumes the caller's session at `at` if it is paused; undefined otherwise (not theirs, or not paused). */
    resumeIfPaused(userId: number, id: number, at: string, updatedAt: string): Promise<SessionRecord | undefined> {
      return resumeIfPausedQuery.first(db, { userId, id, at, updatedAt });
    },

    /**
     * The caller's session with its owner's time zone, the session row locked for the rest of the
     * transaction on PostgreSQL (only that row: `for update of focus_sessions`).
     */
    lockOwned(userId: number, id: number): Promise<(SessionRecord & { timezone: string }) | undefined> {
      return lockOwnedQuery.first(db, { userId, id });
    },

    /** Writes a pause or resume of the session locked by lockOwned. */
    update(id: number, changes: SessionChanges): Promise<SessionRecord> {
      return transitionQuery.firstOrThrow(db, { id, ...changes });
    },

    /** Sets the tag and/or the note (a field left out keeps its value); never a time, so a pause or end racing it loses nothing. */
    relabel(userId: number, id: number, changes: { tag_id?: number | null; note?: string | null; updated_at: string }): Promise<SessionRecord | undefined> {
      return db.updateTable('focus_sessions').set(changes).where('id', '=', id).where('user_id', '=', userId).returningAll().returning(TAG_COLUMNS).executeTakeFirst();
    },

    /** Ends the session: its final status, elapsed and active time, its end and the end's local day. */
    finish(
      id: number,
      changes: { status: SessionStatus; elapsed_seconds: number; ended_at: string; ended_day: string; active_seconds: number; updated_at: string },
    ): Promise<SessionRecord> {
      return finishQuery.firstOrThrow(db, {
        id,
        status: changes.status,
        elapsedSeconds: changes.elapsed_seconds,
        endedAt: changes.ended_at,
        endedDay: changes.ended_day,
        activeSeconds: changes.active_seconds,
        updatedAt: changes.updated_at,
      });
    },

    history(userId: number, filter: HistoryFilter): Promise<SessionView[]> {
      const { after, tagId } = filter;
      const limit = filter.limit + 1;
      if (!filter.statuses && filter.from === undefined && filter.to === undefined) {
        const cursor = after ? { afterStartedAt: after.startedAt, afterId: after.id } : undefined;
        if (tagId === undefined) {
          return cursor ? historyAfterQuery(limit).rows(db, { userId, ...cursor }) : historyFirstPageQuery(limit).rows(db, { userId });
        }
        return cursor ? taggedAfterQuery(limit).rows(db, { userId, tagId, ...cursor }) : taggedFirstPageQuery(limit).rows(db, { userId, tagId });
      }
      let query = sessionsOf(db, userId);
      if (tagId !== undefined) query = query.where('tag_id', '=', tagId);
      if (filter.statuses) query = query.where('status', 'in', filter.statuses);
      if (filter.from !== undefined) query = query.where('started_at', '>=', filter.from);
      if (filter.to !== undefined) query = query.where('started_at', '<=', filter.to);
      if (after) query = query.where((eb) => afterCursor(eb, after.startedAt, after.id));
      return newestFirst(query, limit).execute();
    },
  };
}

export type SessionsRepository = ReturnType<typeof sessionsRepository>;
