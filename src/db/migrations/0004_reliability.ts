import type { Kysely } from 'kysely';

// Idempotency records (contract section 8): the first response for (scope, key), kept 24 hours.
// The database is the store, so every server instance sees the same records.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (c) => c.notNull()) // "user:<id>", or "login:<id>" for /auth/refresh
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('fingerprint', 'text', (c) => c.notNull()) // sha256 of method, path and body
    .addColumn('response_status', 'integer') // null while the first request is in flight
    .addColumn('response_type', 'text')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull()) // also when the in-flight marker was (re)taken
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_expires_at').on('idempotency_keys').column('expires_at').execute();
  await db.schema.createIndex('idempotency_keys_user_id').on('idempotency_keys').column('user_id').execute();
  // Expired tokens are swept by expiry; reuse detection needs the rotated ones until they expire.
  await db.schema.createIndex('refresh_tokens_expires_at').on('refresh_tokens').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('refresh_tokens_expires_at').execute();
  await db.schema.dropTable('idempotency_keys').execute();
}
