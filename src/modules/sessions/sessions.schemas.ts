import { type Static, Type } from '@sinclair/typebox';
import type { FocusSessionRow } from '../../db/database.js';
import { Envelope, Id, ListEnvelope, Timestamp } from '../../schemas.js';
import { BadgeSchema } from '../badges/badges.schemas.js';
import { DayProgressSchema } from '../progress/progress.schemas.js';
import { StreakSchema } from '../streaks/streaks.schemas.js';

export const SessionStatusSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('paused'),
  Type.Literal('completed'),
  Type.Literal('abandoned'),
]);

export const SessionSchema = Type.Object(
  {
    id: Id,
    user_id: Id,
    duration_seconds: Type.Integer(),
    elapsed_seconds: Type.Integer(),
    status: SessionStatusSchema,
    started_at: Timestamp,
    ended_at: Type.Union([Timestamp, Type.Null()]),
  },
  { $id: 'FocusSession' },
);
export type SessionDto = Static<typeof SessionSchema>;

export function toSessionDto(row: FocusSessionRow): SessionDto {
  return {
    id: row.id,
    user_id: row.user_id,
    duration_seconds: row.duration_seconds,
    elapsed_seconds: row.elapsed_seconds,
    status: row.status,
    started_at: row.started_at,
    ended_at: row.ended_at,
  };
}

export const StartBody = Type.Object(
  {
    duration_seconds: Type.Integer({
      minimum: 60,
      maximum: 86400,
      description: 'planned length: 1500 (25 min), 2700 (45 min), 3600 (60 min) or custom 60..86400',
    }),
  },
  { additionalProperties: false },
);
export type StartInput = Static<typeof StartBody>;

const Elapsed = Type.Integer({ minimum: 0, description: 'seconds of focus so far, as counted by the client' });

export const PauseBody = Type.Object(
  { elapsed_seconds: Elapsed, status: Type.Optional(Type.Literal('paused')) },
  { additionalProperties: false },
);
export type PauseInput = Static<typeof PauseBody>;

export const EndBody = Type.Object(
  { elapsed_seconds: Elapsed, status: Type.Union([Type.Literal('completed'), Type.Literal('abandoned')]) },
  { additionalProperties: false },
);
export type EndInput = Static<typeof EndBody>;

/** The `rewards` of a completed end (contract 5); null for an abandoned one. */
export const RewardsSchema = Type.Object({
  daily_progress: DayProgressSchema,
  streak: StreakSchema,
  badges_awarded: Type.Array(BadgeSchema, { description: 'badges this completion earned, none already held' }),
});
export type RewardsDto = Static<typeof RewardsSchema>;

export const EndResponse = Envelope(
  Type.Intersect([
    SessionSchema,
    Type.Object({ rewards: Type.Union([RewardsSchema, Type.Null()], { description: 'progress, streak and new badges of a completion; null when abandoned' }) }),
  ]),
);

export const ResumeBody = Type.Union([Type.Null(), Type.Object({}, { additionalProperties: false })], {
  description: 'no body, an empty body or {}',
});

export const HistoryQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page' })),
    status: Type.Optional(
      Type.String({
        pattern: '^(active|paused|completed|abandoned)(,(active|paused|completed|abandoned))*$',
        description: 'comma-separated statuses, e.g. completed,abandoned',
      }),
    ),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'RFC 3339 lower bound on started_at (inclusive)' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'RFC 3339 upper bound on started_at (inclusive)' })),
  },
  { additionalProperties: false },
);
export type HistoryInput = Static<typeof HistoryQuery>;

export const SessionResponse = Envelope(SessionSchema);
export const ActiveSessionResponse = Envelope(Type.Union([SessionSchema, Type.Null()]));
export const HistoryResponse = ListEnvelope(
  SessionSchema,
  Type.Object({
    limit: Type.Integer(),
    has_more: Type.Boolean(),
    next_cursor: Type.Union([Type.String(), Type.Null()]),
  }),
);
