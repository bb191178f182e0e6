// Kysely for `sqlite:<path>` (better-sqlite3, WAL) or `postgres://…` (pg pool), from DATABASE_URL.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { namingPool } from './pg-prepared.js';
import { type GroupCommitStats, GroupCommitSqliteDialect } from './sqlite-driver.js';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Pool figures for /metrics (SQLite has one connection). */
  poolStats(): { total: number; idle: number; waiting: number };
  /** SQLite: the group-commit counters (src/db/sqlite-driver.ts). */
  groupCommit?: Readonly<GroupCommitStats>;
  close(): Promise<void>;
}

/** SQLite's `synchronous` in WAL mode: what a committed transaction survives (README, Durability). */
export type SqliteSynchronous = 'full' | 'normal';

export interface ConnectOptions {
  poolMax?: number;
  /** PostgreSQL only: a schema to use (tests run each in their own). */
  schema?: string;
  /** SQLite only: how long a statement waits for another process's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
  /** SQLite only: full (the default: a commit survives a power loss) or normal (a process crash). */
  synchronous?: SqliteSynchronous;
}

// int8 (count, sum) arrives as a string by default; every such value here fits a double.
pg.types.setTypeParser(20, (value: string) => Number(value));

export function sqlitePath(url: string): string {
  return url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
}

export function connect(url: string, options: ConnectOptions = {}): DatabaseHandle {
  if (url.startsWith('sqlite:')) {
    const path = sqlitePath(url);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SQLite(path);
    sqlite.pragma('journal_mode = WAL');
    // WAL + FULL: every COMMIT is fsynced, so a committed transaction survives a power loss; with
    // NORMAL it survives a process crash (SIGKILL), and a power loss may lose the last ones before a
    // checkpoint. Group commit makes FULL cheap: one fsync per batch (README, Durability).
    sqlite.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    sqlite.pragma('foreign_keys = ON');
    // 0: SQLite must not sleep inside a call while another process holds the write lock; the
    // dialect waits for it from the event loop instead (src/db/sqlite-driver.ts).
    sqlite.pragma('busy_timeout = 0');
    const dialect = new GroupCommitSqliteDialect(sqlite, { busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
    const db = new Kysely<Database>({ dialect });
    return {
      db,
      dialect: 'sqlite',
      groupCommit: dialect.driver.stats,
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
