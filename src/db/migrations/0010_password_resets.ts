import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// Password-reset tokens (contract 16): stored only as a SHA-256 hash, valid 30 minutes, single use.
// A used or invalidated row is kept (used_at set) until a day after its expiry, so that a confirm
// retried with its Idempotency-Key still finds whose answer to replay.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('password_resets'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull()) // when its mail was sent: the 5-minute cap counts from it
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text') // null = outstanding; set by its confirm or by any event that invalidates it
    .execute();
  await db.schema.createIndex('password_resets_user_id_created_at').on('password_resets').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('password_resets_expires_at').on('password_resets').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('password_resets').execute();
}
