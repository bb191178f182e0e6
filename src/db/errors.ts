// Errors of the database layer, in database terms; src/errors.ts decides what HTTP makes of them.

/** Another process held the SQLite write lock for longer than the busy timeout; the statement did nothing. */
export class DatabaseBusyError extends Error {
  constructor(readonly waitedMs: number) {
    super(`another process held the SQLite write lock for more than ${waitedMs} ms`);
    this.name = 'DatabaseBusyError';
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
