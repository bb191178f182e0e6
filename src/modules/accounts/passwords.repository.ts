// Every query of the password flows: a user's password hash, revoking their logins, reset tokens.
import type { Db, User } from '../../db/database.js';
import { dialectOf } from '../../db/prepared.js';

export function passwordsRepository(db: Db) {
  return {
    /** The user with this (normalised) email, their row locked for the rest of the transaction on PostgreSQL (SQLite runs one writer at a time anyway). */
    lockUserByEmail(email: string): Promise<Pick<User, 'id' | 'email'> | undefined> {
      const query = db.selectFrom('users').select(['id', 'email']).where('email', '=', email);
      return (dialectOf(db) === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
    },
    /** The new hash; the user as it is now, or undefined when they are gone. */
    setPasswordHash(userId: number, passwordHash: string, now: string): Promise<User | undefined> {
      return db.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', userId).returningAll().executeTakeFirst();
    },
    /** Revokes every login of the user (but `keepLoginId`'s): their access and refresh tokens stop working. */
    async revokeLogins(userId: number, now: string, keepLoginId?: number): Promise<void> {
      let logins = db.updateTable('logins').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null);
      let tokens = db.deleteFrom('access_tokens').where('user_id', '=', userId);
      if (keepLoginId !== undefined) {
        logins = logins.where('id', '<>', keepLoginId);
        tokens = tokens.where('login_id', '<>', keepLoginId);
      }
      await logins.execute();
      await tokens.execute();
    },
    /** When the user's latest reset token was made (its mail sent), or undefined. */
    async lastResetCreatedAt(userId: number): Promise<string | undefined> {
      const row = await db.selectFrom('password_resets').select('created_at').where('user_id', '=', userId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
      return row?.created_at;
    },
    async insertReset(userId: number, tokenHash: string, createdAt: string, expiresAt: string): Promise<number> {
      const row = await db
        .insertInto('password_resets')
        .values({ user_id: userId, token_hash: tokenHash, created_at: createdAt, expires_at: expiresAt, used_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async deleteReset(id: number): Promise<void> {
      await db.deleteFrom('password_resets').where('id', '=', id).execute();
    },
    /** A reset token in any state (outstanding, used, invalidated, expired), or undefined. */
    findReset(tokenHash: string) {
      return db
        .selectFrom('password_resets')
        .select(['id', 'user_id as userId', 'expires_at as expiresAt', 'used_at as usedAt'])
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
    },
    /** Uses an outstanding, unexpired token: its user, or undefined when another request used it first (or it expired meanwhile). */
    async useReset(tokenHash: string, now: string): Promise<number | undefined> {
      const row = await db
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning('user_id')
        .executeTakeFirst();
      return row?.user_id;
    },
    /** Every outstanding reset token of the user stops working. */
    async invalidateResets(userId: number, now: string): Promise<void> {
      await db.updateTable('password_resets').set({ used_at: now }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
    },
    async deleteResetsExpiredBefore(before: string): Promise<void> {
      await db.deleteFrom('password_resets').where('expires_at', '<=', before).execute();
    },
  };
}
