// Kysely's SQLite driver, changed in two ways for a database file that several processes write
// (cluster workers, `npm run badges:import` against a live server):
//
// 1. Every transaction here writes, so it begins IMMEDIATE. A plain (deferred) BEGIN takes the
//    write lock only at the first write; when another process committed in between, SQLite cannot
//    upgrade the snapshot and fails at once with SQLITE_BUSY_SNAPSHOT, without waiting.
// 2. Waiting for the write lock does not block the event loop. better-sqlite3 is synchronous, and
//    SQLite's own busy handler sleeps inside the call (1 ms, then 2, 5, 10 …), stalling every
//    request of the process. Here SQLite's busy_timeout is 0 and a statement that finds the
//    database locked is retried from the event loop (other requests run meanwhile) until
//    `busyTimeoutMs` has passed; then it fails with DatabaseBusyError (a 503 that says to retry).
//
// Retrying is safe: a statement that fails with SQLITE_BUSY did nothing (an autocommit write, a
// BEGIN IMMEDIATE that did not start, a COMMIT that SQLite keeps open for a retry), and inside an
// IMMEDIATE transaction no statement can be busy.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import { DatabaseBusyError } from './errors.js';

export interface SqliteLockOptions {
  /** How long a statement waits for another process's write lock before it fails with DatabaseBusyError. */
  busyTimeoutMs: number;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** After a few turns of the event loop, short sleeps that grow to 10 ms. */
function pause(attempt: number): Promise<unknown> {
  if (attempt < 8) return new Promise((resolve) => setImmediate(resolve));
  return sleep(Math.min(10, 2 ** (attempt - 8)));
}

class RetryingConnection implements DatabaseConnection {
  constructor(
    private readonly inner: DatabaseConnection,
    private readonly options: SqliteLockOptions,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    let deadline = 0;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.inner.executeQuery<R>(query);
      } catch (error) {
        if (!isBusy(error)) throw error;
        const now = Date.now();
        if (deadline === 0) deadline = now + this.options.busyTimeoutMs;
        if (now >= deadline) throw new DatabaseBusyError(this.options.busyTimeoutMs);
        await pause(attempt);
      }
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class LockAwareSqliteDriver extends SqliteDriver {
  /** SQLite has one connection: wrapped once. */
  #connection: RetryingConnection | undefined;

  constructor(
    config: SqliteDialectConfig,
    private readonly options: SqliteLockOptions,
  ) {
    super(config);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await super.acquireConnection();
    this.#connection ??= new RetryingConnection(inner, this.options);
    return this.#connection;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class LockAwareSqliteDialect extends SqliteDialect {
  constructor(
    private readonly dialectConfig: SqliteDialectConfig,
    private readonly options: SqliteLockOptions,
  ) {
    super(dialectConfig);
  }

  override createDriver(): Driver {
    return new LockAwareSqliteDriver(this.dialectConfig, this.options);
  }
}
