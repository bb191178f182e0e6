// Tags (contract section 11): what a session was for. A tag belongs to one user; its name is unique
// per user case-insensitively through name_key, the application's lower-casing of the trimmed NFC
// name, so SQLite and PostgreSQL decide alike (neither database's own case folding is used).
// Sessions carry an optional tag and note; deleting a tag leaves its sessions (and their time) untagged.
import { type Kysely, sql } from 'kysely';
import { withId } from './helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('tags'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('tags_archived', sql`archived in (0, 1)`)
    .execute();
  // The uniqueness itself (concurrent creates included); also the index of "the user's tags".
  await db.schema.createIndex('tags_user_name_key').on('tags').columns(['user_id', 'name_key']).unique().execute();

  await db.schema
    .alterTable('focus_sessions')
    .addColumn('tag_id', 'integer', (c) => c.references('tags.id').onDelete('set null'))
    .execute();
  await db.schema.alterTable('focus_sessions').addColumn('note', 'text').execute();
  // History filtered by tag, newest first (a tag has one owner, so tag_id leads); also what
  // deleting a tag uses to find the sessions to untag, instead of reading every session.
  await db.schema.createIndex('focus_sessions_tag_history').on('focus_sessions').columns(['tag_id', 'started_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('focus_sessions_tag_history').execute();
  await db.schema.alterTable('focus_sessions').dropColumn('note').execute();
  await db.schema.alterTable('focus_sessions').dropColumn('tag_id').execute();
  await db.schema.dropTable('tags').execute();
}
