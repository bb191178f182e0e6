import { type Static, Type } from '@sinclair/typebox';
import { Envelope } from '../../schemas.js';
import type { StreakState } from './streak-rules.js';

export const StreakSchema = Type.Object({
  current_streak: Type.Integer({ minimum: 0 }),
  longest_streak: Type.Integer({ minimum: 0 }),
  last_active_date: Type.Union([Type.String({ format: 'date', examples: ['2026-02-18'] }), Type.Null()]),
});
export type StreakDto = Static<typeof StreakSchema>;

export function toStreakDto(state: StreakState): StreakDto {
  return { current_streak: state.currentStreak, longest_streak: state.longestStreak, last_active_date: state.lastActiveDay };
}

export const StreakResponse = Envelope(StreakSchema);
