// Streak freezes (contract 13). The freezes a user holds live with the streak in user_totals; a day a
// freeze covered is stored as a day row with frozen = 1 (no focus, no sessions, the goal in force), so
// the streak, the freezes spent and the frozen days can all be recomputed from stored rows. The flag
// stays 1 if a late end later adds a completion to that day: the freeze was spent there all the same.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Column-level checks: SQLite can add them with ALTER TABLE and drops them with their column.
  await db.schema
    .alterTable('user_totals')
    .addColumn('freezes_available', 'integer', (c) => c.notNull().defaultTo(0).check(sql`freezes_available between 0 and 2`))
    .execute();
  await db.schema
    .alterTable('daily_progress')
    .addColumn('frozen', 'integer', (c) => c.notNull().defaultTo(0).check(sql`frozen in (0, 1)`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('daily_progress').dropColumn('frozen').execute();
  await db.schema.alterTable('user_totals').dropColumn('freezes_available').execute();
}
