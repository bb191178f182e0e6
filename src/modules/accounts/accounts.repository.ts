import type { Db, NewUser, User, UserUpdate } from '../../db/database.js';
import { prepare } from '../../db/prepared.js';

// Every authenticated request runs this one: built and compiled once (src/db/prepared.ts).
const findAccessQuery = prepare((db, p: { tokenHash: string; now: string }) =>
  db
    .selectFrom('access_tokens as a')
    .innerJoin('logins as l', 'l.id', 'a.login_id')
    .select(['a.user_id as userId', 'a.login_id as loginId'])
    .where('a.token_hash', '=', p.tokenHash)
    .where('a.expires_at', '>', p.now)
    .where('l.revoked_at', 'is', null),
);

/** What reading a user's days needs: the zone their local days are counted in and the goal an empty day shows. */
export interface DayContext {
  timezone: string;
  dailyGoalSeconds: number;
}

export function accountsRepository(db: Db) {
  /** One read for both, so a day read costs no extra round trip for the goal. */
  async function dayContextOf(userId: number): Promise<DayContext> {
    const row = await db.selectFrom('users').select(['timezone', 'daily_goal_seconds']).where('id', '=', userId).executeTakeFirstOrThrow();
    return { timezone: row.timezone, dailyGoalSeconds: row.daily_goal_seconds };
  }

  return {
    findUserById(id: number): Promise<User | undefined> {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /** The user's IANA time zone, in which their local days are counted. */
    async timezoneOf(userId: number): Promise<string> {
      return (await dayContextOf(userId)).timezone;
    },
    dayContextOf,
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
    findAccess(tokenHash: string, now: string): Promise<{ userId: number; loginId: number } | undefined> {
      return findAccessQuery.first(db, { tokenHash, now });
    },
    /** A refresh token in any state (live, rotated, expired, revoked login), or undefined. */
    findRefresh(tokenHash: string) {
      return db
        .selectFrom('refresh_tokens as r')
        .innerJoin('logins as l', 'l.id', 'r.login_id')
        .select(['r.user_id as userId', 'r.login_id as loginId', 'r.expires_at as expiresAt', 'r.rotated_at as rotatedAt', 'l.revoked_at as loginRevokedAt'])
        .where('r.token_hash', '=', tokenHash)
        .executeTakeFirst();
    },
    /** Marks a refresh token used; false when another request rotated it first. */
    async rotateRefresh(tokenHash: string, now: string): Promise<boolean> {
      const result = await db
        .updateTable('refresh_tokens')
        .set({ rotated_at: now })
        .where('token_hash', '=', tokenHash)
        .where('rotated_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
    /** Revokes a whole login (token family): every access and refresh token of it stops working. */
    async revokeLogin(loginId: number, now: string): Promise<void> {
      await db.updateTable('logins').set({ revoked_at: now }).where('id', '=', loginId).where('revoked_at', 'is', null).execute();
      await db.deleteFrom('access_tokens').where('login_id', '=', loginId).execute();
    },
    /** Deletes the user; foreign keys cascade to every row that belongs to them. */
    async deleteUser(id: number): Promise<boolean> {
      const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows === 1n;
    },
    /** Removes tokens past their expiry (a rotated refresh token is kept until then, for reuse detection) and logins left without tokens. */
    async deleteExpiredTokens(now: string): Promise<void> {
      await db.deleteFrom('access_tokens').where('expires_at', '<=', now).execute();
      await db.deleteFrom('refresh_tokens').where('expires_at', '<=', now).execute();
      // a login with no token left can never be used again
      await db
        .deleteFrom('logins')
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('refresh_tokens').select('refresh_tokens.login_id').whereRef('refresh_tokens.login_id', '=', 'logins.id'))),
        )
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('access_tokens').select('access_tokens.login_id').whereRef('access_tokens.login_id', '=', 'logins.id'))),
        )
        .execute();
    },
  };
}

export type AccountsRepository = ReturnType<typeof accountsRepository>;
