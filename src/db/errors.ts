// Errors of the database layer, in database terms; src/errors.ts decides what HTTP makes of them.

/** Another process held the SQLite write lock for longer than the busy timeout; the statement did nothing. */
export class DatabaseBusyError extends Error {
  constructor(readonly waitedMs: number) {
    super(`another process held the SQLite write lock for more than ${waitedMs} ms`);
    this.name = 'DatabaseBusyError';
  }
}

/**
 * PostgreSQL refused a named statement inside a transaction because DDL (a migration) changed its result
 * type ("cached plan must not change result type"); the transaction is aborted, and running it again
 * on another connection succeeds (src/db/pg-prepared.ts).
 */
export class PreparedStatementChangedError extends Error {
  constructor(cause: unknown) {
    super('a named statement met DDL that changed its result type; the transaction was aborted', { cause });
    this.name = 'PreparedStatementChangedError';
  }
}

/** A unique-constraint violation, from either driver. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** A foreign-key violation (the row referred to is gone), from either driver. */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * SQLite lost a whole group-commit batch (src/db/sqlite-driver.ts): its COMMIT failed, or an error
 * (I/O, disk full) made SQLite roll the transaction back. Nothing any member of the batch wrote was
 * kept; each of them fails with this error.
 */
export class BatchAbortedError extends Error {
  constructor(cause: unknown) {
    super(`SQLite could not commit; nothing of this transaction was saved (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
    this.name = 'BatchAbortedError';
  }
}
