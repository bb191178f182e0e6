// Kysely's SQLite driver for Focus: group commit on one better-sqlite3 connection (issue 16).
//
// Services open transactions as they would anywhere (`db.transaction().execute(...)`). Underneath,
// the transactions that follow one another while the server is busy share one SQLite transaction,
// a batch: each runs as a SAVEPOINT in it, alone on the connection as before; its commit releases
// the savepoint and then waits for the batch's COMMIT, which runs once no one is waiting for the
// connection (the next turn of the event loop) or when the batch is full. One COMMIT, so one WAL
// write and, with synchronous=FULL, one fsync, serves the whole batch. Under light load a batch
// holds one transaction and costs one turn of the event loop.
//
// - A transaction whose work fails rolls back to its savepoint: its neighbours keep theirs.
// - An error after which SQLite has rolled back the whole transaction (I/O error, disk full) or a
//   failed COMMIT fails every member of the batch with BatchAbortedError.
// - Nothing returns before the COMMIT that holds its writes: a write outside any transaction joins
//   or opens a batch like a transaction does. A read outside any transaction runs on its own when no
//   batch is open, else in the open batch, and then returns after that batch's outcome: no reply
//   rests on writes that might still be rolled back. (A second, read-only connection for such reads
//   was tried and dropped: docs/performance.md, issue 16.)
// - A plain BEGIN and what runs in its transaction (the migrations, src/db/migrate.ts) run as given.
//
// Several processes on one file (cluster workers, an import beside a live server):
// - a batch begins IMMEDIATE: a deferred BEGIN that meets another process's commit before its
//   first write fails at once with SQLITE_BUSY_SNAPSHOT;
// - waiting for the write lock does not block the event loop: SQLite's busy_timeout is 0 (its own
//   handler sleeps inside the synchronous call), and a busy statement is retried from the event
//   loop until `busyTimeoutMs` has passed, then fails with DatabaseBusyError. Retrying is safe: a
//   statement that fails with SQLITE_BUSY did nothing, and inside an IMMEDIATE transaction no
//   statement can be busy.
import { setTimeout as sleep } from 'node:timers/promises';
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteDialect,
} from 'kysely';
import { LRUCache } from 'lru-cache';
import { BatchAbortedError, DatabaseBusyError } from './errors.js';

export interface SqliteDriverOptions {
  /** How long a statement waits for another process's write lock before it fails with DatabaseBusyError. */
  busyTimeoutMs: number;
  /** A batch commits once it holds this many transactions, even while others wait (default 64). */
  maxBatchTransactions?: number;
}

/** Counters for tests and the bench: batches committed, and what they held. */
export interface GroupCommitStats {
  batches: number;
  /** Transactions and statements outside a transaction that committed in those batches. */
  members: number;
  /** Batches failed as a whole (BatchAbortedError). */
  aborted: number;
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

/** One SQLite transaction shared by consecutive Kysely transactions. */
class Batch {
  transactions = 0;
  /** transactions, and statements outside a transaction that ran in the batch */
  members = 0;
  readonly outcome: Promise<void>;
  settle!: (error?: Error) => void;
  constructor() {
    this.outcome = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
    });
    // members await it; a batch no one awaits must not be an unhandled rejection
    this.outcome.catch(() => {});
  }
}

/** What one acquisition of the connection (one query, or one Kysely transaction) holds. */
class Lease implements DatabaseConnection {
  holdsLock = true;
  /** Set by beginTransaction: the batch this transaction is a savepoint of. */
  batch: Batch | undefined;
  released = false;

  constructor(private readonly driver: GroupCommitSqliteDriver) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute<R>(this, query);
  }

  streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    return this.driver.stream<R>(this, query);
  }
}

const SAVEPOINT = 'focus_batch_member';
/** A plain BEGIN and what ends it run as given: the migrations hold their own transaction (src/db/migrate.ts). */
const TRANSACTION_CONTROL = /^\s*(begin|commit|end|rollback)\b/i;

export class GroupCommitSqliteDriver implements Driver {
  readonly stats: GroupCommitStats = { batches: 0, members: 0, aborted: 0 };
  readonly #sqlite: SQLite.Database;
  readonly #statements = new LRUCache<string, SQLite.Statement>({ max: 500 });
  readonly #options: Required<SqliteDriverOptions>;
  #locked = false;
  readonly #waiters: Array<() => void> = [];
  #batch: Batch | undefined;
  #commitScheduled = false;

  constructor(sqlite: SQLite.Database, options: SqliteDriverOptions) {
    this.#sqlite = sqlite;
    this.#options = { maxBatchTransactions: 64, ...options };
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock();
    return new Lease(this);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (lease.holdsLock) this.#unlock(lease);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    const batch = await this.#openBatch();
    this.#statement(`savepoint ${SAVEPOINT}`).run();
    lease.batch = batch;
    batch.transactions += 1;
    batch.members += 1;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    const batch = this.#memberBatch(lease);
    this.#runInBatch(CompiledQuery.raw(`release ${SAVEPOINT}`));
    lease.released = true;
    this.#unlock(lease);
    await batch.outcome;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    // a commit whose batch failed: its savepoint went with the batch
    if (lease.released) return;
    const batch = lease.batch;
    if (batch !== undefined && batch === this.#batch) {
      try {
        this.#runInBatch(CompiledQuery.raw(`rollback to ${SAVEPOINT}`));
        this.#runInBatch(CompiledQuery.raw(`release ${SAVEPOINT}`));
      } catch (error) {
        // SQLite lost the transaction (the error that made this member fail may have been that)
        if (this.#batch === batch) this.#abort(error);
      }
    }
    lease.released = true;
    if (lease.holdsLock) this.#unlock(lease);
    // its answer (an error) may rest on what its neighbours wrote: not before their outcome
    await batch?.outcome.catch(() => {});
  }

  // Kysely's trx.savepoint(): savepoints inside the member's own
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    this.#nested(connection, 'savepoint', name);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    this.#nested(connection, 'rollback to', name);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    this.#nested(connection, 'release', name);
  }

  async destroy(): Promise<void> {
    // members still waiting for a commit get it before the file closes
    if (this.#batch !== undefined && !this.#locked) this.#commit();
    this.#statements.clear();
    this.#sqlite.close();
  }

  /** One statement of a lease: inside its transaction, in the open batch, or on its own. */
  async execute<R>(lease: Lease, query: CompiledQuery): Promise<QueryResult<R>> {
    if (lease.batch !== undefined) {
      this.#memberBatch(lease);
      return this.#runInBatch<R>(query);
    }
    // a connection kept for several statements (db.connection()) gave the lock back after the last
    if (!lease.holdsLock) {
      await this.#lock();
      lease.holdsLock = true;
    }
    // Outside any transaction: a read runs on its own unless a batch is open (or a transaction
    // begun by a plain BEGIN, as the migrations do); a write opens a batch. In a batch the result is
    // given once the batch has committed.
    const statement = this.#statement(query.sql);
    if (this.#batch === undefined && (this.#sqlite.inTransaction || statement.readonly || TRANSACTION_CONTROL.test(query.sql))) {
      return this.#run<R>(query, statement);
    }
    const batch = await this.#openBatch();
    const result = this.#runInBatch<R>(query, statement);
    batch.members += 1;
    this.#unlock(lease);
    await batch.outcome;
    return result;
  }

  async *stream<R>(lease: Lease, query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!lease.holdsLock) throw new Error('SQLite connection used after it was released');
    const statement = this.#statement(query.sql);
    if (!statement.reader) throw new Error('SQLite streams only queries that return rows');
    for (const row of statement.iterate(query.parameters as unknown[])) yield { rows: [row as R] };
  }

  #statement(sql: string): SQLite.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#sqlite.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #query<R>(query: CompiledQuery, statement = this.#statement(query.sql)): QueryResult<R> {
    const parameters = query.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  /** Outside a batch: retried while another process holds the write lock. */
  async #run<R>(query: CompiledQuery, statement = this.#statement(query.sql)): Promise<QueryResult<R>> {
    let deadline = 0;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return this.#query<R>(query, statement);
      } catch (error) {
        if (!isBusy(error)) throw error;
        const now = Date.now();
        if (deadline === 0) deadline = now + this.#options.busyTimeoutMs;
        if (now >= deadline) throw new DatabaseBusyError(this.#options.busyTimeoutMs);
        await pause(attempt);
      }
    }
  }

  /** Inside the open batch: an error that ended SQLite's transaction ends the batch, for every member. */
  #runInBatch<R>(query: CompiledQuery, statement = this.#statement(query.sql)): QueryResult<R> {
    try {
      return this.#query<R>(query, statement);
    } catch (error) {
      if (this.#sqlite.inTransaction) throw error;
      throw this.#abort(error);
    }
  }

  /** The lease's batch, which must still be the open one. */
  #memberBatch(lease: Lease): Batch {
    const batch = lease.batch;
    if (batch === undefined) throw new Error('no transaction on this SQLite connection');
    if (batch !== this.#batch) throw new BatchAbortedError(new Error('the batch this transaction belonged to has failed'));
    return batch;
  }

  #nested(connection: DatabaseConnection, command: string, name: string): void {
    this.#memberBatch(connection as Lease);
    this.#runInBatch(CompiledQuery.raw(`${command} "${name.replace(/"/g, '""')}"`));
  }

  /** The open batch, or a new one (BEGIN IMMEDIATE, waiting for another process's write lock). */
  async #openBatch(): Promise<Batch> {
    if (this.#batch === undefined) {
      await this.#run(CompiledQuery.raw('begin immediate'));
      this.#batch = new Batch();
    }
    return this.#batch;
  }

  async #lock(): Promise<void> {
    if (this.#locked) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    else this.#locked = true;
  }

  #unlock(lease: Lease): void {
    lease.holdsLock = false;
    const batch = this.#batch;
    if (batch !== undefined && batch.transactions >= this.#options.maxBatchTransactions) this.#commit();
    const next = this.#waiters.shift();
    if (next !== undefined) {
      next();
      return;
    }
    this.#locked = false;
    if (this.#batch !== undefined && !this.#commitScheduled) {
      this.#commitScheduled = true;
      setImmediate(() => {
        this.#commitScheduled = false;
        if (this.#locked || this.#batch === undefined) return;
        this.#commit();
      });
    }
  }

  /** COMMIT of the open batch; the caller holds the connection (or no one does). A failed COMMIT aborts it. */
  #commit(): void {
    const batch = this.#batch;
    if (batch === undefined) return;
    try {
      this.#statement('commit').run();
    } catch (error) {
      this.#abort(error);
      return;
    }
    this.#batch = undefined;
    this.stats.batches += 1;
    this.stats.members += batch.members;
    batch.settle();
  }

  /** The whole batch is lost (SQLite rolled it back, or must): every member fails with the error returned. */
  #abort(cause: unknown): BatchAbortedError {
    const error = new BatchAbortedError(cause);
    const batch = this.#batch;
    if (batch === undefined) return error;
    this.#batch = undefined;
    if (this.#sqlite.inTransaction) this.#sqlite.exec('rollback');
    this.stats.aborted += 1;
    batch.settle(error);
    return error;
  }
}

export class GroupCommitSqliteDialect extends SqliteDialect {
  readonly driver: GroupCommitSqliteDriver;

  constructor(sqlite: SQLite.Database, options: SqliteDriverOptions) {
    super({ database: sqlite });
    this.driver = new GroupCommitSqliteDriver(sqlite, options);
  }

  override createDriver(): Driver {
    return this.driver;
  }
}
