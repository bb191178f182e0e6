// Named prepared statements on PostgreSQL. Kysely sends every query as text and values, so the
// server parses and plans the same few dozen SQL texts on every request. pg keeps a statement
// parsed once per connection when the query carries a name, and then sends only Bind and Execute.
// This pool hands Kysely clients whose query(text, values) runs as a statement named from its text.
//
// Bounded: pg and the server keep every named statement of a connection for its lifetime, so only
// queries with values are named (not BEGIN, COMMIT, DDL) and at most MAX_NAMED distinct texts per
// process; a text seen after that runs unnamed, as before.
//
// After DDL (a migration run by another process) a statement's result type may change, and the
// server refuses it ("cached plan must not change result type", SQLSTATE 0A000) until it is prepared
// again. The client that met it names nothing more and is closed on release, so the pool's next
// connection prepares everything afresh. Outside a transaction the query is run again at once,
// unnamed; inside one the transaction is already aborted, so the caller gets a
// PreparedStatementChangedError, which it can retry as a whole.
import { createHash } from 'node:crypto';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { PreparedStatementChangedError } from './errors.js';

const MAX_NAMED = 300;

function isResultTypeChanged(error: unknown): boolean {
  const { code, routine } = (error ?? {}) as { code?: unknown; routine?: unknown };
  return code === '0A000' && routine === 'RevalidateCachedQuery';
}

export class StatementNames {
  readonly #names = new Map<string, string>();

  constructor(private readonly max = MAX_NAMED) {}

  /** The statement name of this SQL text, or undefined when it runs unnamed. */
  of(text: string): string | undefined {
    const known = this.#names.get(text);
    if (known !== undefined || this.#names.size >= this.max) return known;
    const name = `focus_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    this.#names.set(text, name);
    return name;
  }
}

/** A pooled client whose parameterised queries run as named statements. */
class NamingClient implements PostgresPoolClient {
  /** Set once a named statement met changed DDL: this connection names nothing more and is closed on release. */
  #stale = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly names: StatementNames,
  ) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query(textOrCursor: string | PostgresCursor<unknown>, values?: ReadonlyArray<unknown>): unknown {
    if (typeof textOrCursor !== 'string') return this.client.query(textOrCursor as unknown as pg.Submittable); // a pg-cursor (streaming)
    const parameters = (values ?? []) as unknown[]; // Kysely passes its own copy
    const name = this.#stale || parameters.length === 0 ? undefined : this.names.of(textOrCursor);
    if (name === undefined) return this.client.query(textOrCursor, parameters);
    return this.#named(name, textOrCursor, parameters);
  }

  async #named(name: string, text: string, values: unknown[]): Promise<pg.QueryResult> {
    // 'I': no transaction open before this query, so a failed one left nothing to roll back
    const idle = this.client.getTransactionStatus() === 'I';
    try {
      return await this.client.query({ name, text, values });
    } catch (error) {
      if (!isResultTypeChanged(error)) throw error;
      this.#stale = true;
      if (!idle) throw new PreparedStatementChangedError(error);
      return this.client.query(text, values);
    }
  }

  release(destroy?: boolean): void {
    this.client.release(destroy || this.#stale);
  }
}

/** The pool to give Kysely's PostgresDialect: its clients name their parameterised statements. */
export function namingPool(pool: pg.Pool, names = new StatementNames()): PostgresPool {
  const clients = new WeakMap<pg.PoolClient, NamingClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let naming = clients.get(client);
      if (naming === undefined) {
        naming = new NamingClient(client, names);
        clients.set(client, naming);
      }
      return naming;
    },
    end: () => pool.end(),
  };
}
