// Running time that holds across devices and offline (contract 10): when the current run began, the
// last transition an action's `at` may not go before, the server's own count of active time (rule 3),
// and the local day of the end (contract 14's summaries read it), each filled for existing rows.
import { type Kysely, sql } from 'kysely';
import { localDay } from '../../time/calendar.js';

interface Sessions {
  focus_sessions: { id: number; user_id: number; ended_at: string | null; ended_day: string | null };
  users: { id: number; timezone: string };
}

/** Ended sessions per round trip while their days are computed: memory stays flat whatever the history. */
const PAGE = 1000;

export async function up(db: Kysely<unknown>): Promise<void> {
  // Nullable columns: SQLite adds a NOT NULL column only with a constant default, and none fits.
  await db.schema.alterTable('focus_sessions').addColumn('resumed_at', 'text').execute();
  await db.schema.alterTable('focus_sessions').addColumn('last_transition_at', 'text').execute();
  await db.schema
    .alterTable('focus_sessions')
    .addColumn('active_seconds', 'integer', (c) => c.notNull().defaultTo(0).check(sql`active_seconds >= 0`))
    .execute();
  await db.schema.alterTable('focus_sessions').addColumn('ended_day', 'text').execute();

  // Every transition has written updated_at (NOT NULL since 0002), so it is the last transition the
  // database recorded; contract 10's fallback (started_at + elapsed_seconds) never applies here.
  // Active time seen so far is taken to be what the client reported.
  await sql`
    update focus_sessions
    set last_transition_at = case when status in ('active', 'paused') then updated_at else coalesce(ended_at, updated_at) end,
        resumed_at = case when status = 'active' then updated_at else null end,
        active_seconds = elapsed_seconds
  `.execute(db);

  // The local day of each end in its user's current zone: computed here, with the calendar the
  // application uses, one page of ended sessions at a time and one UPDATE per day within a page.
  const typed = db as unknown as Kysely<Sessions>;
  let after = 0;
  for (;;) {
    const page = await typed
      .selectFrom('focus_sessions')
      .innerJoin('users', 'users.id', 'focus_sessions.user_id')
      .select(['focus_sessions.id', 'focus_sessions.ended_at', 'users.timezone'])
      .where('focus_sessions.ended_at', 'is not', null)
      .where('focus_sessions.id', '>', after)
      .orderBy('focus_sessions.id')
      .limit(PAGE)
      .execute();
    if (page.length === 0) break;
    const idsByDay = new Map<string, number[]>();
    for (const row of page) {
      const day = localDay(new Date(row.ended_at as string), row.timezone);
      idsByDay.set(day, [...(idsByDay.get(day) ?? []), row.id]);
    }
    for (const [day, ids] of idsByDay) {
      await typed.updateTable('focus_sessions').set({ ended_day: day }).where('id', 'in', ids).execute();
    }
    after = page[page.length - 1]?.id ?? after;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['ended_day', 'active_seconds', 'last_transition_at', 'resumed_at']) {
    await db.schema.alterTable('focus_sessions').dropColumn(column).execute();
  }
}
