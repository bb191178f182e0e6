// Kysely for `sqlite:<path>` (better-sqlite3, WAL) or `postgres://…` (pg pool), from DATABASE_URL.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase } from 'kysely';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
import type { Database } from './database.js';
import { namingPool } from './pg-prepared.js';
import { LockAwareSqliteDialect } from './sqlite-driver.js';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Pool figures for /metrics (SQLite has one connection). */
  poolStats(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export interface ConnectOptions {
  poolMax?: number;
  /** PostgreSQL only: a schema to use (tests run each in their own). */
  schema?: string;
  /** SQLite only: how long a statement waits for another process's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
}

// int8 (count, sum) arrives as a string by default; every such value here fits a double.
pg.types.setTypeParser(20, (value: string) => Number(value));

export function sqlitePath(url: string): string {
  return url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
}

/**
 * Kysely asks better-sqlite3 for a new prepared statement on every query, and SQLite then parses and
 * plans the same few dozen SQL texts on every request. Statements are reusable, and Kysely runs one
 * query at a time on its single SQLite connection, so one statement per SQL text serves them all.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const statements = new LRUCache<string, SQLite.Statement>({ max });
  return {
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}

export function connect(url: string, options: ConnectOptions = {}): DatabaseHandle {
  if (url.startsWith('sqlite:')) {
    const path = sqlitePath(url);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SQLite(path);
    sqlite.pragma('journal_mode = WAL');
    // WAL + NORMAL: a committed transaction survives a process crash (SIGKILL); a power loss may
    // lose the last transactions before a checkpoint (docs/reliability.md).
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // 0: SQLite must not sleep inside a call while another process holds the write lock; the
    // dialect waits for it from the event loop instead (src/db/sqlite-driver.ts).
    sqlite.pragma('busy_timeout = 0');
    const dialect = new LockAwareSqliteDialect({ database: withStatementCache(sqlite) }, { busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
    const db = new Kysely<Database>({ dialect });
    return {
      db,
      dialect: 'sqlite',
      poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
      close: () => db.destroy(),
    };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  // Each statement with values is parsed once per connection (src/db/pg-prepared.ts).
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: namingPool(pool) }) });
  return {
    db,
    dialect: 'postgres',
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
  };
}
