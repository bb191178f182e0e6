import type { Db, NewUser, User, UserUpdate } from '../../db/database.js';

export function accountsRepository(db: Db) {
  return {
    findUserById(id: number): Promise<User | undefined> {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },
    findUserByEmail(email: string): Promise<User | undefined> {
      return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    },
    insertUser(user: NewUser): Promise<User> {
      return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
    },
    updateUser(id: number, changes: UserUpdate): Promise<User | undefined> {
      return db.updateTable('users').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
    },
    async insertLogin(userId: number, now: string): Promise<number> {
      const row = await db
        .insertInto('logins')
        .values({ user_id: userId, created_at: now, revoked_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async insertTokens(
      loginId: number,
      userId: number,
      access: { hash: string; expiresAt: string },
      refresh: { hash: string; expiresAt: string },
    ): Promise<void> {
      await db
        .insertInto('access_tokens')
        .values({ token_hash: access.hash, login_id: loginId, user_id: userId, expires_at: access.expiresAt })
        .execute();
      await db
        .insertInto('refresh_tokens')
        .values({ token_hash: refresh.hash, login_id: loginId, user_id: userId, expires_at: refresh.expiresAt, rotated_at: null })
        .execute();
    },
    /** The bearer of a live access token: its user and login, or undefined. */
    findAccess(tokenHash: string, now: string) {
      return db
        .selectFrom('access_tokens as a')
        .innerJoin('logins as l', 'l.id', 'a.login_id')
        .select(['a.user_id as userId', 'a.login_id as loginId'])
        .where('a.token_hash', '=', tokenHash)
        .where('a.expires_at', '>', now)
        .where('l.revoked_at', 'is', null)
        .executeTakeFirst();
    },
  };
}

export type AccountsRepository = ReturnType<typeof accountsRepository>;
