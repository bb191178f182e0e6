import { type Static, Type } from '@sinclair/typebox';
import { Envelope, Nullable } from '../../schemas.js';
import { DayProgressSchema } from '../progress/progress.schemas.js';
import { TagSchema } from '../tags/tags.schemas.js';

const Day = (description: string) => Type.String({ format: 'date', description, examples: ['2026-03-02'] });

const PeriodSchema = Type.Union([Type.Literal('week'), Type.Literal('month')]);

export const SummaryQuery = Type.Object(
  {
    period: Type.Optional({ ...PeriodSchema, description: "default week; a week starts on the user's week_starts_on" }),
    date: Type.Optional(
      Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, any day of the period; default today in the user time zone', examples: ['2026-03-04'] }),
    ),
  },
  { additionalProperties: false },
);
export type SummaryInput = Static<typeof SummaryQuery>;

// A tag as a session shows it: the tag object without archived and created_at.
const SummaryTagSchema = Type.Pick(TagSchema, ['id', 'name', 'color']);

export const SummarySchema = Type.Object({
  period: PeriodSchema,
  from: Day('first day of the period'),
  to: Day('last day of the period'),
  focus_seconds: Type.Integer({ minimum: 0 }),
  sessions_completed: Type.Integer({ minimum: 0 }),
  sessions_abandoned: Type.Integer({ minimum: 0, description: 'sessions abandoned on the days of the period (the local day of their end)' }),
  days_active: Type.Integer({ minimum: 0, description: 'days with at least one completed session' }),
  goal_days_met: Type.Integer({ minimum: 0, description: 'days whose goal_met is true' }),
  best_day: Nullable(Type.Object({ date: Day('the day'), focus_seconds: Type.Integer({ minimum: 1 }) }), {
    description: 'the day with the most focus, the earliest on a tie; null when no day has focus',
  }),
  by_day: Type.Array(DayProgressSchema, { description: 'every day of the period, ascending, zero-filled, as GET /progress shows them' }),
  by_tag: Type.Array(
    Type.Object({
      tag: Nullable(SummaryTagSchema, { description: 'the tag as it is now, archived or not; null for untagged sessions and those of deleted tags' }),
      focus_seconds: Type.Integer({ minimum: 0 }),
      sessions_completed: Type.Integer({ minimum: 1 }),
    }),
    { description: 'completed sessions by tag; by focus_seconds descending, then sessions_completed descending, then name, null after the names it ties with' },
  ),
  previous: Type.Object(
    {
      from: Day('first day of the period before'),
      to: Day('last day of the period before'),
      focus_seconds: Type.Integer({ minimum: 0 }),
      sessions_completed: Type.Integer({ minimum: 0 }),
    },
    { description: 'the week or calendar month just before' },
  ),
});
export type SummaryDto = Static<typeof SummarySchema>;

export const SummaryResponse = Envelope(SummarySchema);
