import type { Db, TagRow } from '../../db/database.js';
import { dialectOf, prepare } from '../../db/prepared.js';

// PostgreSQL: the owner's row, locked so that creates by one user run one after another (the cap
// holds under concurrent creates). NO KEY UPDATE does not block the key-share locks that inserting
// sessions or tokens takes on the same user. SQLite needs nothing: its write transactions already
// run one at a time (BEGIN IMMEDIATE).
const lockOwnerQuery = prepare((db, p: { userId: number }) => db.selectFrom('users').select('id').where('id', '=', p.userId).forNoKeyUpdate());

// Giving a tag to a session (start, relabel): is it the caller's, and is it archived.
const findOwnedQuery = prepare((db, p: { userId: number; id: number }) =>
  db.selectFrom('tags').select('archived').where('id', '=', p.id).where('user_id', '=', p.userId),
);

export interface TagChanges {
  name?: string;
  name_key?: string;
  color?: string;
  archived?: number;
}

export function tagsRepository(db: Db) {
  return {
    listOwned(userId: number): Promise<TagRow[]> {
      return db.selectFrom('tags').selectAll().where('user_id', '=', userId).execute();
    },

    /** Whether the caller's tag `id` is archived; undefined when it does not exist or is another user's. */
    async archivedOwned(userId: number, id: number): Promise<boolean | undefined> {
      const row = await findOwnedQuery.first(db, { userId, id });
      return row === undefined ? undefined : row.archived === 1;
    },

    /** Inside a transaction: until it ends, no other transaction creates a tag for this user. */
    async lockOwner(userId: number): Promise<void> {
      if (dialectOf(db) === 'postgres') await lockOwnerQuery.first(db, { userId });
    },

    async countOwned(userId: number): Promise<number> {
      const row = await db.selectFrom('tags').select((eb) => eb.fn.countAll<number>().as('count')).where('user_id', '=', userId).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    insert(tag: { user_id: number; name: string; name_key: string; color: string; created_at: string }): Promise<TagRow> {
      return db.insertInto('tags').values({ ...tag, archived: 0 }).returningAll().executeTakeFirstOrThrow();
    },

    /** Undefined when the tag does not exist or is another user's. */
    updateOwned(userId: number, id: number, changes: TagChanges): Promise<TagRow | undefined> {
      return db.updateTable('tags').set(changes).where('id', '=', id).where('user_id', '=', userId).returningAll().executeTakeFirst();
    },

    /** False when the tag does not exist or is another user's. Its sessions are untagged by the foreign key. */
    async deleteOwned(userId: number, id: number): Promise<boolean> {
      const result = await db.deleteFrom('tags').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return result.numDeletedRows === 1n;
    },
  };
}
