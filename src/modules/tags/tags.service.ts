// The tags of one user: list, create (with the cap), change and delete.
import type { Db } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { errors } from '../../errors.js';
import { toTimestamp } from '../../time/clock.js';
import { TAG_LIMIT, compareTagNames, normalizeColor, paletteColor, tagName } from './tag-rules.js';
import { type CreateTagInput, type TagDto, type UpdateTagInput, toTagDto } from './tags.schemas.js';
import { type TagChanges, tagsRepository } from './tags.repository.js';

function nameOrThrow(raw: string): { name: string; key: string } {
  const result = tagName(raw);
  if ('problem' in result) throw errors.validation([{ field: 'name', message: result.problem }], `name ${result.problem}`);
  return result;
}

/** The unique index on (user_id, name_key) decides, so two concurrent requests cannot both win. */
async function uniqueName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw errors.tagExists();
    throw error;
  }
}

export function tagsService(db: Db) {
  const repo = tagsRepository(db);

  return {
    async list(userId: number): Promise<TagDto[]> {
      const rows = await repo.listOwned(userId);
      return rows.sort(compareTagNames).map(toTagDto);
    },

    async create(userId: number, input: CreateTagInput, now: Date): Promise<TagDto> {
      const { name, key } = nameOrThrow(input.name);
      const row = await uniqueName(() =>
        db.transaction().execute(async (trx) => {
          const txRepo = tagsRepository(trx);
          await txRepo.lockOwner(userId);
          const count = await txRepo.countOwned(userId);
          if (count >= TAG_LIMIT) throw errors.limitReached('tags', TAG_LIMIT);
          const color = input.color === undefined ? paletteColor(count) : normalizeColor(input.color);
          return txRepo.insert({ user_id: userId, name, name_key: key, color, created_at: toTimestamp(now) });
        }),
      );
      return toTagDto(row);
    },

    async update(userId: number, id: number, input: UpdateTagInput): Promise<TagDto> {
      const changes: TagChanges = {};
      if (input.name !== undefined) {
        const { name, key } = nameOrThrow(input.name);
        changes.name = name;
        changes.name_key = key;
      }
      if (input.color !== undefined) changes.color = normalizeColor(input.color);
      if (input.archived !== undefined) changes.archived = input.archived ? 1 : 0;
      const row = await uniqueName(() => repo.updateOwned(userId, id, changes));
      if (!row) throw errors.notFound('tag');
      return toTagDto(row);
    },

    async remove(userId: number, id: number): Promise<void> {
      if (!(await repo.deleteOwned(userId, id))) throw errors.notFound('tag');
    },
  };
}

export type TagsService = ReturnType<typeof tagsService>;
