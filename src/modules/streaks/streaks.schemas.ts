import { type Static, Type } from '@sinclair/typebox';
import { Envelope, Nullable } from '../../schemas.js';
import { MAX_FREEZES, type StreakState, type StreakStep } from './streak-rules.js';

export const StreakSchema = Type.Object({
  current_streak: Type.Integer({ minimum: 0 }),
  longest_streak: Type.Integer({ minimum: 0 }),
  last_active_date: Nullable(Type.String({ format: 'date', examples: ['2026-02-18'] })),
  freezes_available: Type.Integer({ minimum: 0, maximum: MAX_FREEZES, description: 'streak freezes held: one earned at each multiple of 7, spent on missed days' }),
});
export type StreakDto = Static<typeof StreakSchema>;

export function toStreakDto(state: StreakState): StreakDto {
  return {
    current_streak: state.currentStreak,
    longest_streak: state.longestStreak,
    last_active_date: state.lastActiveDay,
    freezes_available: state.freezesAvailable,
  };
}

/** The streak in a completion's rewards: the streak after it, and what it did with freezes. */
export const StreakRewardSchema = Type.Composite([
  StreakSchema,
  Type.Object({
    freezes_used: Type.Integer({ minimum: 0, maximum: MAX_FREEZES, description: 'freezes this completion spent on missed days' }),
    freeze_earned: Type.Boolean({ description: 'this completion raised the streak to a multiple of 7 and earned a freeze' }),
  }),
]);
export type StreakRewardDto = Static<typeof StreakRewardSchema>;

export function toStreakRewardDto(step: StreakStep): StreakRewardDto {
  return { ...toStreakDto(step.state), freezes_used: step.freezesUsed, freeze_earned: step.freezeEarned };
}

export const StreakResponse = Envelope(StreakSchema);
