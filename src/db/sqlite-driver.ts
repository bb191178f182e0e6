// Kysely's SQLite driver for a file that several processes write (cluster workers, an import beside
// a live server):
// 1. Every transaction here writes, so it begins IMMEDIATE: a deferred BEGIN that meets another
//    process's commit before its first write fails at once with SQLITE_BUSY_SNAPSHOT.
// 2. Waiting for the write lock does not block the event loop: SQLite's busy_timeout is 0 (its own
//    handler sleeps inside the synchronous call), and a busy statement is retried from the event
//    loop until `busyTimeoutMs` has passed, then fails with DatabaseBusyError.
// Retrying is safe: a statement that fails with SQLITE_BUSY did nothing, and inside an IMMEDIATE
// transaction no statement can be busy.
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
