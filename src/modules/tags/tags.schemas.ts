import { type Static, Type } from '@sinclair/typebox';
import type { TagRow } from '../../db/database.js';
import { Envelope, Id, Timestamp } from '../../schemas.js';
import { TextField } from '../../text-fields.js';
import { COLOR_PATTERN, TAG_LIMIT, TAG_NAME_RULE } from './tag-rules.js';

const Color = Type.String({ pattern: COLOR_PATTERN, description: '"#RRGGBB"; either letter case accepted, returned in upper case', examples: ['#4F46E5'] });

export const TagSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ examples: ['Deep work'] }),
    color: Type.String({ pattern: '^#[0-9A-F]{6}$', examples: ['#4F46E5'] }),
    archived: Type.Boolean(),
    created_at: Timestamp,
  },
  { $id: 'Tag' },
);
export type TagDto = Static<typeof TagSchema>;

/** Row → the contract's tag object; every response with a tag uses it. */
export function toTagDto(row: TagRow): TagDto {
  return { id: row.id, name: row.name, color: row.color, archived: row.archived === 1, created_at: row.created_at };
}

const TagName = TextField(TAG_NAME_RULE, { description: 'unique per user regardless of letter case', examples: ['Deep work'] });

export const CreateTagBody = Type.Object(
  {
    name: TagName,
    color: Type.Optional(Type.String({ ...Color, description: `${Color.description}; the server picks one when it is left out` })),
  },
  { additionalProperties: false, description: `at most ${TAG_LIMIT} tags per user, archived ones included` },
);
export type CreateTagInput = Static<typeof CreateTagBody>;

export const UpdateTagBody = Type.Object(
  {
    name: Type.Optional(TagName),
    color: Type.Optional(Color),
    archived: Type.Optional(Type.Boolean({ description: 'an archived tag keeps its sessions but cannot be given to new ones' })),
  },
  { additionalProperties: false, minProperties: 1, description: 'at least one field' },
);
export type UpdateTagInput = Static<typeof UpdateTagBody>;

export const TagResponse = Envelope(TagSchema);
export const TagListResponse = Envelope(Type.Array(TagSchema, { description: 'every tag of the caller, archived ones included, by name regardless of case' }));
export const TagDeletedResponse = Envelope(Type.Null());
