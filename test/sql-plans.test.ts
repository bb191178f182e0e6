// The query plans of the hot paths (bearer-token lookup, start, active, pause, resume, end with its
// side effects, history pages), as the database chooses them for the statements the app really sends:
// the app runs on a Kysely instance that records every statement, then each one is EXPLAINed.
// Also migration 0005 (daily_progress and user_badges WITHOUT ROWID on SQLite) and its data.
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { type DatabaseHandle, sqlitePath } from '../src/db/connect.js';
import type { Database } from '../src/db/database.js';
import { migrations } from '../src/db/migrations/index.js';
import { at, completeSession, registerUser, testConfig } from './app.js';
import { type TestDatabase, testDatabases } from './databases.js';

interface Statement {
  sql: string;
  parameters: readonly unknown[];
}

/** The app on `database`, every statement it sends recorded (first parameters seen per SQL text). */
async function recordingApp(database: TestDatabase) {
  const created = await database.create();
  const statements = new Map<string, Statement>();
  const log = (event: { level: string; query: { sql: string; parameters: readonly unknown[] } }) => {
    if (event.level === 'query' && !statements.has(event.query.sql)) statements.set(event.query.sql, { sql: event.query.sql, parameters: event.query.parameters });
  };
  let db: Kysely<Database>;
  if (database.name === 'sqlite') {
    const sqlite = new SQLite(sqlitePath(created.url));
    sqlite.pragma('foreign_keys = ON');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), log });
  } else {
    const pool = new pg.Pool({ connectionString: created.url, options: `-c search_path=${created.schema}` });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
  }
  const handle: DatabaseHandle = { db, dialect: database.name, poolStats: () => ({ total: 1, idle: 1, waiting: 0 }), close: () => db.destroy() };
  const app = await buildApp(testConfig(created.url), handle);
  await app.ready();
  return {
    app,
    statements,
    created,
    async close() {
      await app.close();
      await db.destroy();
      await created.drop();
    },
  };
}

/**
 * The hot paths: 25 completed sessions (history longer than a page), one with a tag paused and
 * resumed, active, two history pages, two pages of that tag's history.
 */
async function runHotPaths(recording: Awaited<ReturnType<typeof recordingApp>>): Promise<void> {
  const user = await registerUser(recording.app);
  recording.statements.clear(); // registration is not a hot path
  const first = '2026-03-02T06:00:00Z';
  for (let i = 0; i < 25; i++) await completeSession(user, at(first, i * 3600));
  const startAt = at(first, 30 * 3600);
  const tag = await user.request({ method: 'POST', url: '/api/v1/tags', payload: { name: 'Deep work' } });
  expect(tag.statusCode, tag.body).toBe(201);
  const tagId = tag.json().data.id;
  const start = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500, tag_id: tagId }, now: startAt });
  expect(start.statusCode, start.body).toBe(201);
  const id = start.json().data.id;
  expect((await user.request({ method: 'GET', url: '/api/v1/sessions/active', now: startAt })).json().data.id).toBe(id);
  const pause = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/pause`, payload: { elapsed_seconds: 600 }, now: at(startAt, 600) });
  expect(pause.statusCode, pause.body).toBe(200);
  expect((await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/resume`, now: at(startAt, 900) })).statusCode).toBe(200);
  const end = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${id}/end`, payload: { elapsed_seconds: 1500, status: 'completed' }, now: at(startAt, 1800) });
  expect(end.statusCode, end.body).toBe(200);
  const page = await user.request({ method: 'GET', url: '/api/v1/sessions?limit=20' });
  expect(page.json().meta.has_more).toBe(true);
  const next = await user.request({ method: 'GET', url: `/api/v1/sessions?limit=20&cursor=${page.json().meta.next_cursor}` });
  expect(next.json().data).toHaveLength(6);
  const tagged = await user.request({ method: 'GET', url: `/api/v1/sessions?tag_id=${tagId}&limit=20` });
  expect(tagged.json().data.map((s: { id: number }) => s.id)).toEqual([id]);
  // a cursor is a position in the newest-first order, whatever the filter: this one is past the tagged session
  const taggedNext = await user.request({ method: 'GET', url: `/api/v1/sessions?tag_id=${tagId}&limit=20&cursor=${page.json().meta.next_cursor}` });
  expect(taggedNext.statusCode, taggedNext.body).toBe(200);
  expect(taggedNext.json().data).toEqual([]);
}

function find(statements: Map<string, Statement>, pattern: RegExp): Statement {
  const found = [...statements.values()].filter((s) => pattern.test(s.sql));
  expect(found.map((s) => s.sql), String(pattern)).toHaveLength(1);
  return found[0] as Statement;
}

const TOKEN_LOOKUP = /from "access_tokens" as "a" inner join "logins"/;
// Every statement that reads sessions to show them selects the session object's columns and the tag's
// name and colour (subqueries on tags).
const SESSIONS = String.raw`^select "id", "user_id", .*, "note", \(select "tags"\."name" from "tags" where "tags"\."id" = "focus_sessions"\."tag_id"\) as "tag_name", \(select "tags"\."color" .*\) as "tag_color" from "focus_sessions" where "user_id" = (\?|\$1)`;
const HISTORY_FIRST_PAGE = new RegExp(`${SESSIONS} order by "started_at" desc, "id" desc limit`);
const HISTORY_AFTER_CURSOR = new RegExp(`${SESSIONS} and \\("started_at" <`);
const TAGGED_FIRST_PAGE = new RegExp(`${SESSIONS} and "tag_id" = (\\?|\\$2) order by "started_at" desc, "id" desc limit`);
const TAGGED_AFTER_CURSOR = new RegExp(`${SESSIONS} and "tag_id" = (\\?|\\$2) and \\("started_at" <`);
const FIND_RUNNING = new RegExp(`${SESSIONS} and status in \\('active', 'paused'\\)$`);
const UNEARNED_CRITERIA = /^select "d"."code", "d"."criteria_type", "d"."threshold" from "badge_definitions"/;

describe.each(testDatabases.filter((d) => d.name === 'sqlite'))('SQLite query plans of the hot paths', (database) => {
  let recording: Awaited<ReturnType<typeof recordingApp>>;
  let plans: Map<string, string[]>;

  beforeAll(async () => {
    recording = await recordingApp(database);
    await runHotPaths(recording);
    const explain = new SQLite(sqlitePath(recording.created.url), { readonly: true });
    try {
      plans = new Map(
        [...recording.statements.values()]
          .filter((s) => /^(select|insert|update|delete)/.test(s.sql))
          .map((s) => [s.sql, (explain.prepare(`explain query plan ${s.sql}`).all(...(s.parameters as unknown[])) as Array<{ detail: string }>).map((row) => row.detail)]),
      );
    } finally {
      explain.close();
    }
  });
  afterAll(() => recording?.close());

  const planOf = (pattern: RegExp) => plans.get(find(recording.statements, pattern).sql) as string[];

  it('scans no table: every read goes by key or index', () => {
    const scans = [...plans].flatMap(([text, lines]) => lines.filter((line) => /^SCAN (?!.*VALUES CLAUSE)/.test(line)).map((line) => `${line} in ${text}`));
    expect(scans).toEqual([]);
  });

  // the two subqueries that bring a session's tag
  const TAG_LOOKUPS = ['CORRELATED SCALAR SUBQUERY 1', 'SEARCH tags USING INTEGER PRIMARY KEY (rowid=?)', 'CORRELATED SCALAR SUBQUERY 2', 'SEARCH tags USING INTEGER PRIMARY KEY (rowid=?)'];

  it('history pages carry their page size in the SQL: SQLite prepares a statement with a bound LIMIT anew at every run', () => {
    // limit=20 asks for 21 rows (the 21st says has_more)
    for (const pattern of [HISTORY_FIRST_PAGE, HISTORY_AFTER_CURSOR, TAGGED_FIRST_PAGE, TAGGED_AFTER_CURSOR]) {
      expect(find(recording.statements, pattern).sql).toMatch(/ limit 21$/);
    }
  });

  it('history pages walk focus_sessions_history in order: no temporary B-tree for ORDER BY', () => {
    for (const pattern of [HISTORY_FIRST_PAGE, HISTORY_AFTER_CURSOR]) {
      const plan = planOf(pattern);
      expect(plan.join('\n')).toMatch(/^SEARCH focus_sessions USING INDEX focus_sessions_history \(user_id=\?/);
      expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('the bearer-token lookup is two primary-key searches', () => {
    expect(planOf(TOKEN_LOOKUP)).toEqual(['SEARCH a USING INDEX sqlite_autoindex_access_tokens_1 (token_hash=?)', 'SEARCH l USING INTEGER PRIMARY KEY (rowid=?)']);
  });

  it('the running session is found through the partial index focus_sessions_one_running, its tag by primary key', () => {
    expect(planOf(FIND_RUNNING)).toEqual(['SEARCH focus_sessions USING INDEX focus_sessions_one_running (user_id=?)', ...TAG_LOOKUPS]);
  });

  it("a tag's history pages walk focus_sessions_tag_history in order, its tag by primary key", () => {
    for (const pattern of [TAGGED_FIRST_PAGE, TAGGED_AFTER_CURSOR]) {
      const plan = planOf(pattern);
      expect(plan[0]).toMatch(/^SEARCH focus_sessions USING INDEX focus_sessions_tag_history \(tag_id=\?/);
      expect(plan.slice(1)).toEqual(TAG_LOOKUPS);
    }
  });

  it('the unearned badges a completion may meet: one index range per criteria type, then the user_badges primary key', () => {
    const plan = planOf(UNEARNED_CRITERIA);
    expect(plan[0]).toBe('MULTI-INDEX OR');
    const ranges = plan.filter((line) => line.startsWith('SEARCH d '));
    expect(ranges).toHaveLength(8);
    for (const line of ranges) expect(line).toMatch(/^SEARCH d USING INDEX badge_definitions_criteria \(criteria_type=\? AND threshold[<>]\?\)$/);
    expect(plan.at(-1)).toBe('SEARCH ub USING PRIMARY KEY (user_id=? AND badge_code=?) LEFT-JOIN');
  });
});

describe.each(testDatabases.filter((d) => d.name === 'postgres'))('PostgreSQL query plans of the hot paths', (database) => {
  let recording: Awaited<ReturnType<typeof recordingApp>>;
  let plans: Map<string, string>;

  beforeAll(async () => {
    recording = await recordingApp(database);
    await runHotPaths(recording);
    const client = new pg.Client({ connectionString: recording.created.url, options: `-c search_path=${recording.created.schema}` });
    await client.connect();
    try {
      // The tables are tiny and never analysed: PostgreSQL would scan them whole or through a bitmap
      // and sort, cheapest for two rows. With those off, the plans say what the indexes can do.
      await client.query('set enable_seqscan = off');
      await client.query('set enable_bitmapscan = off');
      plans = new Map();
      for (const s of recording.statements.values()) {
        if (!/^(select|insert|update|delete)/.test(s.sql)) continue;
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain ${s.sql}`, [...s.parameters]);
        plans.set(s.sql, rows.map((row) => row['QUERY PLAN']).join('\n'));
      }
    } finally {
      await client.end();
    }
  });
  afterAll(() => recording?.close());

  const planOf = (pattern: RegExp) => plans.get(find(recording.statements, pattern).sql) as string;

  it('history pages read focus_sessions_history in order: no Sort', () => {
    for (const pattern of [HISTORY_FIRST_PAGE, HISTORY_AFTER_CURSOR]) {
      expect(planOf(pattern)).toMatch(/Index Scan Backward using focus_sessions_history on focus_sessions/);
      expect(planOf(pattern)).not.toMatch(/Sort/);
    }
  });

  it("a tag's history pages read focus_sessions_tag_history in order, its tag by primary key", () => {
    for (const pattern of [TAGGED_FIRST_PAGE, TAGGED_AFTER_CURSOR]) {
      expect(planOf(pattern)).toMatch(/Index Scan Backward using focus_sessions_tag_history on focus_sessions/);
      expect(planOf(pattern)).toMatch(/Index Scan using tags_pkey on tags/);
      expect(planOf(pattern)).not.toMatch(/Sort/);
    }
  });

  it('the bearer-token lookup goes by the access_tokens primary key', () => {
    expect(planOf(TOKEN_LOOKUP)).toMatch(/Index Scan using access_tokens_pkey on access_tokens a/);
  });

  it('no hot statement scans a per-user table sequentially', () => {
    const seq = [...plans].filter(([, plan]) => /Seq Scan on (focus_sessions|access_tokens|logins|users|user_totals|daily_progress|user_badges)\b/.test(plan));
    expect(seq.map(([text, plan]) => `${text}\n${plan}`)).toEqual([]);
  });
});

describe.each(testDatabases.filter((d) => d.name === 'sqlite'))('migration 0005 on SQLite', (database) => {
  const storage = async (db: Kysely<Database>) =>
    Object.fromEntries(
      (await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where name in ('daily_progress', 'user_badges', 'user_badges_recent') order by name`.execute(db)).rows.map((row) => [
        row.name,
        row.sql,
      ]),
    );

  it('keeps every row, the foreign keys and the index; daily_progress and user_badges become WITHOUT ROWID; down restores rowid tables', async () => {
    const created = await database.create();
    const path = sqlitePath(created.url);
    await created.handle.close();
    // a database as 0004 left it, with data
    const sqlite = new SQLite(`${path}.0004`);
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    try {
      const upTo = (last: string) => new Migrator({ db, provider: { getMigrations: async () => Object.fromEntries(Object.entries(migrations).filter(([name]) => name <= last)) } });
      expect((await upTo('0004_reliability').migrateToLatest()).error).toBeUndefined();
      const now = '2026-03-02T06:00:00Z';
      const users = await db
        .insertInto('users')
        .values([1, 2].map((i) => ({ email: `m${i}@example.com`, password_hash: 'x', display_name: null, timezone: 'UTC', created_at: now, updated_at: now })))
        .returning('id')
        .execute();
      const [a, b] = users.map((u) => u.id) as [number, number];
      const days = [
        { user_id: a, day: '2026-03-01', focus_seconds: 1500, sessions_completed: 1 },
        { user_id: a, day: '2026-03-02', focus_seconds: 3000, sessions_completed: 2 },
        { user_id: b, day: '2026-03-02', focus_seconds: 600, sessions_completed: 1 },
      ];
      const badges = [
        { user_id: a, badge_code: 'first_focus', earned_at: now },
        { user_id: a, badge_code: 'early_bird', earned_at: now },
        { user_id: b, badge_code: 'first_focus', earned_at: now },
      ];
      await db.insertInto('daily_progress').values(days).execute();
      await db.insertInto('user_badges').values(badges).execute();
      const rows = async () => ({
        days: await db.selectFrom('daily_progress').selectAll().orderBy('user_id').orderBy('day').execute(),
        badges: await db.selectFrom('user_badges').selectAll().orderBy('user_id').orderBy('badge_code').execute(),
      });
      const sorted = { days, badges: [...badges].sort((x, y) => x.user_id - y.user_id || x.badge_code.localeCompare(y.badge_code)) };
      expect(await rows()).toEqual(sorted);
      const before = await storage(db);
      expect(before.daily_progress).not.toMatch(/without rowid/);

      const applied = await upTo('0005_sqlite_without_rowid').migrateToLatest();
      expect(applied.error).toBeUndefined();
      expect(applied.results?.map((result) => result.migrationName)).toEqual(['0005_sqlite_without_rowid']);
      const after = await storage(db);
      expect(after.daily_progress).toBe(`${before.daily_progress} without rowid`);
      expect(after.user_badges).toBe(`${before.user_badges} without rowid`);
      expect(after.user_badges_recent).toBe(before.user_badges_recent);
      expect(await rows()).toEqual(sorted);
      expect((await sql`pragma foreign_key_check`.execute(db)).rows).toEqual([]);
      // the foreign keys still hold and cascade
      await expect(db.insertInto('daily_progress').values({ user_id: 9999, day: '2026-03-02', focus_seconds: 1, sessions_completed: 1 }).execute()).rejects.toThrow(/FOREIGN KEY/);
      await expect(db.insertInto('user_badges').values({ user_id: a, badge_code: 'no_such_badge', earned_at: now }).execute()).rejects.toThrow(/FOREIGN KEY/);
      await db.deleteFrom('users').where('id', '=', b).execute();
      const kept = { days: sorted.days.filter((d) => d.user_id === a), badges: sorted.badges.filter((d) => d.user_id === a) };
      expect(await rows()).toEqual(kept);

      const down = await upTo('0005_sqlite_without_rowid').migrateDown();
      expect(down.error).toBeUndefined();
      expect(await storage(db)).toEqual(before);
      expect(await rows()).toEqual(kept);
    } finally {
      await db.destroy();
      await created.drop();
    }
  });
});

// GET /summary (contract 14) reads only the period: its day rows by the daily_progress key, its ended
// sessions through focus_sessions_user_ended_day, a range of each however long the history.
async function runSummary(recording: Awaited<ReturnType<typeof recordingApp>>): Promise<void> {
  const user = await registerUser(recording.app);
  const tag = await user.request({ method: 'POST', url: '/api/v1/tags', payload: { name: 'Reading' } });
  expect(tag.statusCode, tag.body).toBe(201);
  for (let i = 0; i < 6; i++) await completeSession(user, at('2026-02-20T06:00:00Z', i * 86_400));
  const start = await user.request({ method: 'POST', url: '/api/v1/sessions', payload: { duration_seconds: 1500, tag_id: tag.json().data.id }, now: '2026-03-02T06:00:00Z' });
  expect(start.statusCode, start.body).toBe(201);
  const end = await user.request({ method: 'PATCH', url: `/api/v1/sessions/${start.json().data.id}/end`, payload: { elapsed_seconds: 600, status: 'abandoned' }, now: '2026-03-02T06:20:00Z' });
  expect(end.statusCode, end.body).toBe(200);
  recording.statements.clear();
  const summary = await user.request({ method: 'GET', url: '/api/v1/summary?period=month&date=2026-03-02' });
  expect(summary.statusCode, summary.body).toBe(200);
  expect(summary.json().data).toMatchObject({ sessions_abandoned: 1, previous: { sessions_completed: 6 } });
}

const SUMMARY_DAYS = /^select "day", .* from "daily_progress" where "user_id" = (\?|\$1) and "day" >= (\?|\$2) and "day" <= (\?|\$3) order by "day"$/;
const SUMMARY_SESSIONS = /^select "s"\."status", .* from "focus_sessions" as "s" left join "tags" as "t" on "t"\."id" = "s"\."tag_id" where "s"\."user_id" = (\?|\$1) and "s"\."ended_day" >= /;

describe.each(testDatabases)('query plans of GET /summary on $name', (database) => {
  let recording: Awaited<ReturnType<typeof recordingApp>>;
  const plans = new Map<string, string>();

  beforeAll(async () => {
    recording = await recordingApp(database);
    await runSummary(recording);
    const statements = [...recording.statements.values()].filter((s) => s.sql.startsWith('select'));
    if (database.name === 'sqlite') {
      const explain = new SQLite(sqlitePath(recording.created.url), { readonly: true });
      try {
        for (const s of statements) plans.set(s.sql, (explain.prepare(`explain query plan ${s.sql}`).all(...(s.parameters as unknown[])) as Array<{ detail: string }>).map((row) => row.detail).join('\n'));
      } finally {
        explain.close();
      }
    } else {
      const client = new pg.Client({ connectionString: recording.created.url, options: `-c search_path=${recording.created.schema}` });
      await client.connect();
      try {
        // As above: tiny unanalysed tables would be read whole; with these off the plan shows what the index can do.
        await client.query('set enable_seqscan = off');
        await client.query('set enable_bitmapscan = off');
        for (const s of statements) plans.set(s.sql, (await client.query<{ 'QUERY PLAN': string }>(`explain ${s.sql}`, [...s.parameters])).rows.map((row) => row['QUERY PLAN']).join('\n'));
      } finally {
        await client.end();
      }
    }
  });
  afterAll(() => recording?.close());

  const planOf = (pattern: RegExp) => plans.get(find(recording.statements, pattern).sql) as string;

  it('reads the ended sessions of the period as one range of focus_sessions_user_ended_day, and each tag by its key', () => {
    if (database.name === 'sqlite') {
      expect(planOf(SUMMARY_SESSIONS)).toMatch(/^SEARCH s USING INDEX focus_sessions_user_ended_day \(user_id=\? AND ended_day>\? AND ended_day<\?\)$/m);
      expect(planOf(SUMMARY_SESSIONS)).toMatch(/^SEARCH t USING INTEGER PRIMARY KEY \(rowid=\?\) LEFT-JOIN$/m);
    } else {
      expect(planOf(SUMMARY_SESSIONS)).toMatch(/Index Scan using focus_sessions_user_ended_day on focus_sessions s .*\s+Index Cond: \(\(user_id = [^)]+\) AND \(ended_day >= [^)]+\) AND \(ended_day <= [^)]+\)\)$/m);
      expect(planOf(SUMMARY_SESSIONS)).toMatch(/Index Scan using tags_pkey on tags t/);
    }
  });

  it('reads the day rows of the period and the one before as one range of the daily_progress key', () => {
    expect(planOf(SUMMARY_DAYS)).toMatch(
      database.name === 'sqlite'
        ? /^SEARCH daily_progress USING PRIMARY KEY \(user_id=\? AND day>\? AND day<\?\)$/
        : /^Index Scan using daily_progress_pk on daily_progress .*\s+Index Cond: \(\(user_id = [^)]+\) AND \(day >= [^)]+\) AND \(day <= [^)]+\)\)$/,
    );
  });

  it('reads no table whole', () => {
    const whole = [...plans].filter(([, plan]) => /^SCAN (?!.*VALUES CLAUSE)|Seq Scan/m.test(plan));
    expect(whole.map(([text, plan]) => `${text}\n${plan}`)).toEqual([]);
  });
});
