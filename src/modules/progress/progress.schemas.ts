import { type Static, Type } from '@sinclair/typebox';
import { Envelope } from '../../schemas.js';
import { SETTINGS_BOUNDS } from '../accounts/account-rules.js';
import { type DayProgress, goalMet } from './progress-rules.js';

export const DayProgressSchema = Type.Object({
  date: Type.String({ format: 'date', description: 'a local day in the user time zone', examples: ['2026-02-18'] }),
  focus_seconds: Type.Integer({ minimum: 0 }),
  sessions_completed: Type.Integer({ minimum: 0 }),
  goal_seconds: Type.Integer({
    ...SETTINGS_BOUNDS.dailyGoalSeconds,
    description: "the daily goal in force at the day's last completion; the current goal for a day without any; 0 = no goal",
  }),
  goal_met: Type.Boolean({ description: 'goal_seconds > 0 and focus_seconds >= goal_seconds' }),
  frozen: Type.Boolean({ description: 'a streak freeze covered this day (no completed session on it)' }),
});
export type DayProgressDto = Static<typeof DayProgressSchema>;

export function toDayProgressDto(day: DayProgress): DayProgressDto {
  return {
    date: day.day,
    focus_seconds: day.focusSeconds,
    sessions_completed: day.sessionsCompleted,
    goal_seconds: day.goalSeconds,
    goal_met: goalMet(day),
    frozen: day.frozen,
  };
}

const Day = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: `YYYY-MM-DD, a local day: ${description}` });

export const ProgressQuery = Type.Object(
  {
    from: Type.Optional(Day('first day (inclusive); default: six days before to')),
    to: Type.Optional(Day('last day (inclusive); default: today in the user time zone')),
  },
  { additionalProperties: false },
);
export type ProgressInput = Static<typeof ProgressQuery>;

export const ProgressResponse = Envelope(Type.Array(DayProgressSchema));

export const StatsSchema = Type.Object({
  total_sessions_completed: Type.Integer({ minimum: 0 }),
  total_sessions_abandoned: Type.Integer({ minimum: 0 }),
  total_focus_seconds: Type.Integer({ minimum: 0 }),
  today: DayProgressSchema,
});
export const StatsResponse = Envelope(StatsSchema);
