import { type Static, Type } from '@sinclair/typebox';
import { Envelope, Nullable, Timestamp } from '../../schemas.js';
import { type BadgeFacts, CRITERIA_TYPES, badgeProgress } from './badge-rules.js';
import type { BadgeDefinition } from './badges.repository.js';

export const CriteriaTypeSchema = Type.Union(CRITERIA_TYPES.map((type) => Type.Literal(type)));

export const CriteriaSchema = Type.Object(
  {
    type: CriteriaTypeSchema,
    threshold: Type.Integer({ minimum: 0, description: 'a count, seconds, days, or a local hour 0..23 for the hour types' }),
  },
  { additionalProperties: false },
);

export const BadgeSchema = Type.Object({
  code: Type.String({ examples: ['first_focus'] }),
  name: Type.String({ examples: ['First Focus'] }),
  description: Type.String(),
  criteria: CriteriaSchema,
  earned_at: Nullable(Timestamp),
  progress: Type.Object(
    { current: Type.Integer({ minimum: 0 }), target: Type.Integer({ minimum: 0 }) },
    { description: 'counting criteria: the user figure (not capped) against the threshold; hour criteria: 1 when earned else 0, against 1' },
  ),
});
export type BadgeDto = Static<typeof BadgeSchema>;

export function toBadgeDto(definition: BadgeDefinition, earnedAt: string | null, facts: BadgeFacts): BadgeDto {
  return {
    code: definition.code,
    name: definition.name,
    description: definition.description,
    criteria: { type: definition.criteria.type, threshold: definition.criteria.threshold },
    earned_at: earnedAt,
    progress: badgeProgress(definition.criteria, facts, earnedAt !== null),
  };
}

export const BadgesResponse = Envelope(Type.Array(BadgeSchema));

/** The file `npm run badges:import` reads: an array of definitions, upserted by code. */
export const BadgeImportFile = Type.Array(
  Type.Object(
    {
      code: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }),
      name: Type.String({ minLength: 1, maxLength: 100 }),
      description: Type.String({ minLength: 1, maxLength: 500 }),
      criteria: CriteriaSchema,
      sort_order: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    },
    { additionalProperties: false },
  ),
  { minItems: 1 },
);
export type BadgeImportInput = Static<typeof BadgeImportFile>;
