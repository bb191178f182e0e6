// Reads the database as it is, table list included, so new tables are covered without editing tests.
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/connect.js';

/** Every table of the app (migration bookkeeping excluded) with its columns. */
export async function appTables(handle: DatabaseHandle): Promise<{ table: string; columns: string[] }[]> {
  const rows =
    handle.dialect === 'sqlite'
      ? (
          await sql<{ table_name: string; column_name: string }>`
            select m.name as table_name, p.name as column_name
            from sqlite_master m join pragma_table_info(m.name) p
            where m.type = 'table' and m.name not like 'sqlite_%'
            order by m.name, p.cid`.execute(handle.db)
        ).rows
      : (
          await sql<{ table_name: string; column_name: string }>`
            select table_name, column_name from information_schema.columns
            where table_schema = current_schema()
            order by table_name, ordinal_position`.execute(handle.db)
        ).rows;
  const tables = new Map<string, string[]>();
  for (const row of rows) {
    if (row.table_name.startsWith('kysely_')) continue;
    tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name]);
  }
  return [...tables].map(([table, columns]) => ({ table, columns }));
}

/** The tables that hold a user's rows, and the column naming the user (`id` for users). */
export async function userTables(handle: DatabaseHandle): Promise<{ table: string; column: string }[]> {
  return (await appTables(handle)).flatMap(({ table, columns }) =>
    table === 'users' ? [{ table, column: 'id' }] : columns.includes('user_id') ? [{ table, column: 'user_id' }] : [],
  );
}

/** Every row of every table (except `skip`) in a stable order, as one comparable value. */
export async function snapshot(handle: DatabaseHandle, skip: readonly string[] = []): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const { table, columns } of await appTables(handle)) {
    if (skip.includes(table)) continue;
    const order = sql.join(columns.map((c) => sql.ref(c)));
    const result = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by ${order}`.execute(handle.db);
    out[table] = result.rows;
  }
  return out;
}
