import type { Kysely } from 'kysely';

// GET /summary counts the sessions ended on the days of a week or a month (contract 14) by their
// stored end day: with this index it reads that range of the user's sessions and nothing else,
// however long the rest of their history. Sessions still running have no end day.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('focus_sessions_user_ended_day').on('focus_sessions').columns(['user_id', 'ended_day']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('focus_sessions_user_ended_day').execute();
}
