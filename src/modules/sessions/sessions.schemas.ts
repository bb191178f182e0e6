import { type Static, Type } from '@sinclair/typebox';
import type { FocusSessionRow } from '../../db/database.js';
import { Envelope, Id, ListEnvelope, Nullable, Timestamp } from '../../schemas.js';
import { NoteField } from '../../text-fields.js';
import { epochSeconds, fromEpochSeconds } from '../../time/clock.js';
import { BadgeSchema } from '../badges/badges.schemas.js';
import { DayProgressSchema } from '../progress/progress.schemas.js';
import { StreakRewardSchema } from '../streaks/streaks.schemas.js';
import { plannedEndAt } from './session-rules.js';
import type { SessionView } from './sessions.repository.js';

export const SessionStatusSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('paused'),
  Type.Literal('completed'),
  Type.Literal('abandoned'),
]);

/** The tag a session carries, as the tag is now (a rename or recolour shows on its past sessions). */
const SessionTagSchema = Type.Object({
  id: Id,
  name: Type.String({ examples: ['Deep work'] }),
  color: Type.String({ pattern: '^#[0-9A-F]{6}$', examples: ['#4F46E5'] }),
});

export const SessionSchema = Type.Object(
  {
    id: Id,
    user_id: Id,
    duration_seconds: Type.Integer(),
    elapsed_seconds: Type.Integer(),
    status: SessionStatusSchema,
    started_at: Timestamp,
    ended_at: Nullable(Timestamp),
    resumed_at: Nullable(Timestamp, {
      description: 'when the current active run began: started_at after the start, the resume moment after a resume; null unless active',
    }),
    planned_end_at: Nullable(Timestamp, {
      description: 'resumed_at + (duration_seconds - elapsed_seconds) while active, else null; show max(0, planned_end_at - now) as the time left',
    }),
    tag: Nullable(SessionTagSchema, { description: 'what the session was for; null when untagged or its tag was deleted' }),
    note: Nullable(Type.String()),
  },
  { $id: 'FocusSession' },
);
export type SessionDto = Static<typeof SessionSchema>;

export function toSessionDto(row: SessionView): SessionDto {
  return {
    id: row.id,
    user_id: row.user_id,
    duration_seconds: row.duration_seconds,
    elapsed_seconds: row.elapsed_seconds,
    status: row.status,
    started_at: row.started_at,
    ended_at: row.ended_at,
    resumed_at: row.resumed_at,
    planned_end_at: plannedEndTimestamp(row),
    tag: row.tag_id !== null && row.tag_name !== null && row.tag_color !== null ? { id: row.tag_id, name: row.tag_name, color: row.tag_color } : null,
    note: row.note,
  };
}

function plannedEndTimestamp(row: Pick<FocusSessionRow, 'status' | 'resumed_at' | 'duration_seconds' | 'elapsed_seconds'>): string | null {
  const planned = plannedEndAt({
    status: row.status,
    resumedAt: row.resumed_at === null ? null : epochSeconds(row.resumed_at),
    durationSeconds: row.duration_seconds,
    elapsedSeconds: row.elapsed_seconds,
  });
  return planned === null ? null : fromEpochSeconds(planned);
}

/** The device's moment of a queued action (contract 10). */
const At = Type.Optional(
  Type.Union(
    [
      Type.String({
        format: 'date-time',
        description: 'RFC 3339 with any offset, sub-seconds dropped: when the action happened on the device, for an action queued offline; later than now is taken as now',
        examples: ['2026-02-18T08:25:00+01:00'],
      }),
      Type.Null(),
    ],
    { description: 'null is the same as leaving it out (the server takes now)' },
  ),
);

const TagId = Type.Union([Id, Type.Null()], {
  description: "one of the caller's tags (not archived, unless the session already carries it), or null for none",
});
const Note = Type.Union([NoteField({ description: 'what the session was for, free text' }), Type.Null()], { description: 'null for none' });

export const StartBody = Type.Object(
  {
    duration_seconds: Type.Integer({
      minimum: 60,
      maximum: 86400,
      description: 'planned length: 1500 (25 min), 2700 (45 min), 3600 (60 min) or custom 60..86400',
    }),
    at: At,
    tag_id: Type.Optional(TagId),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type StartInput = Static<typeof StartBody>;

/** Relabel (contract 11): the tag and the note of a session in any status; nothing else changes. */
export const RelabelBody = Type.Object(
  { tag_id: Type.Optional(TagId), note: Type.Optional(Note) },
  { additionalProperties: false, minProperties: 1, description: 'at least one field; null clears it, a field left out keeps its value' },
);
export type RelabelInput = Static<typeof RelabelBody>;

const Elapsed = Type.Integer({ minimum: 0, description: 'seconds of focus so far, as counted by the client' });

export const PauseBody = Type.Object(
  { elapsed_seconds: Elapsed, status: Type.Optional(Type.Literal('paused')), at: At },
  { additionalProperties: false },
);
export type PauseInput = Static<typeof PauseBody>;

export const EndBody = Type.Object(
  { elapsed_seconds: Elapsed, status: Type.Union([Type.Literal('completed'), Type.Literal('abandoned')]), at: At },
  { additionalProperties: false },
);
export type EndInput = Static<typeof EndBody>;

/** The `rewards` of a completed end (contract 5); null for an abandoned one. */
export const RewardsSchema = Type.Object({
  daily_progress: DayProgressSchema,
  streak: StreakRewardSchema,
  badges_awarded: Type.Array(BadgeSchema, { description: 'badges this completion earned, none already held' }),
});
export type RewardsDto = Static<typeof RewardsSchema>;

export const EndResponse = Envelope(
  Type.Intersect([
    SessionSchema,
    Type.Object({ rewards: Nullable(RewardsSchema, { description: 'progress, streak and new badges of a completion; null when abandoned' }) }),
  ]),
);

export const ResumeBody = Type.Union([Type.Null(), Type.Object({ at: At }, { additionalProperties: false })], {
  description: 'no body, an empty body, {} or {"at": ...}',
});
export type ResumeInput = Static<typeof ResumeBody>;

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
    tag_id: Type.Optional(Type.Integer({ minimum: Id.minimum, maximum: Id.maximum, description: "only the sessions carrying this tag, one of the caller's (else 404)" })),
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
    next_cursor: Nullable(Type.String()),
  }),
);
