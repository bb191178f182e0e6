// Compiled-query reuse for the hot paths. Kysely builds an operation tree and compiles it to SQL on
// every call, which costs about as much as running the query on SQLite (docs/performance.md,
// optimisation 7 and issue 11); a query whose shape never changes is built and compiled here once
// per database, and later calls only put their values in.
//
//   const findUser = prepare((db, p: { id: number }) => db.selectFrom('users').selectAll().where('id', '=', p.id));
//   const user = await findUser.first(db, { id: 42 });
//
// The builder runs once per Kysely root instance (per dialect adapter: SQLite and PostgreSQL compile
// differently) with placeholders in place of the values; the compiled parameter list records which
// entry is which named value (and keeps the builder's own constants as they were). A Transaction
// shares its root's adapter, so one compiled query serves both. Only scalar values can be named
// parameters: a list (`in (…)`) changes the SQL text with its length, so such queries stay builders.
import { type Compilable, type CompiledQuery, type DeleteResult, type InsertResult, type Kysely, NoResultError, type QueryNode, type UpdateResult } from 'kysely';
import type { Dialect } from './connect.js';
import type { Database } from './database.js';
import { isPostgres } from './migrations/helpers.js';

type Scalar = string | number | boolean | bigint | null;
/** Named scalar parameters; every one must be used by the query. */
export type PreparedParams<P> = { readonly [K in keyof P]: Scalar };
/** Rows of a query: a write without RETURNING has none. */
type Row<O> = O extends InsertResult | UpdateResult | DeleteResult ? never : O;

export interface Prepared<P extends PreparedParams<P>, O> {
  /** Every row (a write with RETURNING returns the written rows). */
  rows(db: Kysely<Database>, params: P): Promise<Array<Row<O>>>;
  /** The first row, or undefined. */
  first(db: Kysely<Database>, params: P): Promise<Row<O> | undefined>;
  /** The first row; throws Kysely's NoResultError when there is none (as executeTakeFirstOrThrow does). */
  firstOrThrow(db: Kysely<Database>, params: P): Promise<Row<O>>;
  /** Runs the statement; the number of rows it changed (inserts, updates, deletes). */
  run(db: Kysely<Database>, params: P): Promise<bigint | undefined>;
  /** The compiled query with these values, without running it (for tests and EXPLAIN). */
  compile(db: Kysely<Database>, params: P): CompiledQuery<O>;
}

const PLACEHOLDER = Symbol('prepared placeholder');
interface Placeholder {
  readonly [PLACEHOLDER]: string;
}

function isPlaceholder(value: unknown): value is Placeholder {
  return typeof value === 'object' && value !== null && PLACEHOLDER in value;
}

function misuse(what: string): never {
  throw new Error(`prepare(): ${what}; read each parameter as p.name and pass it to the query as a value`);
}

/**
 * The builder's `p`: p.name is a placeholder for the value named `name`. Anything else the builder
 * could do with `p` that would not put the value into the query (spread it, list its keys, test it)
 * throws instead of compiling a query that silently lacks a value.
 */
function placeholders(accessed: Map<string, Placeholder>): object {
  return new Proxy(Object.create(null) as object, {
    get(_target, key) {
      if (typeof key !== 'string') return misuse(`parameter ${String(key)} is not a name`);
      let placeholder = accessed.get(key);
      if (placeholder === undefined) {
        placeholder = Object.freeze({ [PLACEHOLDER]: key });
        accessed.set(key, placeholder);
      }
      return placeholder;
    },
    has: () => misuse('`in` on the parameters'),
    ownKeys: () => misuse('the parameters cannot be spread or listed'),
    getOwnPropertyDescriptor: () => misuse('the parameters cannot be spread or listed'),
    set: () => misuse('the parameters are read-only'),
    defineProperty: () => misuse('the parameters are read-only'),
    deleteProperty: () => misuse('the parameters are read-only'),
  });
}

interface Plan<O> {
  readonly template: CompiledQuery<O>;
  /** Per compiled parameter: the name of the value that goes there, or undefined for a constant. */
  readonly names: ReadonlyArray<string | undefined>;
}

export function dialectOf(db: Kysely<Database>): Dialect {
  return isPostgres(db as unknown as Kysely<unknown>) ? 'postgres' : 'sqlite';
}

/**
 * A query built and compiled once per database. `build` must put every parameter it reads into the
 * query as a value, and must not branch on them (they are placeholders when it runs); it may branch
 * on `dialect`. Kysely plugins are not supported (they may rewrite each query and its result).
 */
export function prepare<P extends PreparedParams<P>, O>(
  build: (db: Kysely<Database>, p: P, dialect: Dialect) => Compilable<O>,
): Prepared<P, O> {
  // keyed by the dialect adapter: one per Kysely root instance, shared by its transactions
  const plans = new WeakMap<object, Plan<O>>();

  function plan(db: Kysely<Database>): Plan<O> {
    const executor = db.getExecutor();
    if (executor.plugins.length > 0) throw new Error('prepare(): queries through Kysely plugins are not supported');
    const existing = plans.get(executor.adapter);
    if (existing) return existing;
    const accessed = new Map<string, Placeholder>();
    const template = build(db, placeholders(accessed) as P, dialectOf(db)).compile();
    const names = template.parameters.map((value) => (isPlaceholder(value) ? value[PLACEHOLDER] : undefined));
    for (const name of accessed.keys()) {
      if (!names.includes(name)) misuse(`parameter ${name} was read but is not a value in the query`);
    }
    const made: Plan<O> = { template, names };
    plans.set(executor.adapter, made);
    return made;
  }

  function compile(db: Kysely<Database>, params: P): CompiledQuery<O> {
    const { template, names } = plan(db);
    const values = params as Record<string, unknown>;
    const parameters = template.parameters.map((constant, i) => {
      const name = names[i];
      if (name === undefined) return constant;
      const value = values[name];
      if (value === undefined) throw new Error(`prepare(): parameter ${name} is missing`);
      return value;
    });
    return { query: template.query, queryId: template.queryId, sql: template.sql, parameters };
  }

  async function rows(db: Kysely<Database>, params: P): Promise<Array<Row<O>>> {
    const result = await db.executeQuery(compile(db, params));
    return result.rows as Array<Row<O>>;
  }

  return {
    rows,
    async first(db, params) {
      return (await rows(db, params))[0];
    },
    async firstOrThrow(db, params) {
      const compiled = compile(db, params);
      const row = (await db.executeQuery(compiled)).rows[0];
      if (row === undefined) throw new NoResultError(compiled.query as QueryNode);
      return row as Row<O>;
    },
    async run(db, params) {
      return (await db.executeQuery(compile(db, params))).numAffectedRows;
    },
    compile,
  };
}
