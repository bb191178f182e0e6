import { type Static, Type } from '@sinclair/typebox';
import { Envelope } from '../../schemas.js';

export const StreakSchema = Type.Object({
  current_streak: Type.Integer({ minimum: 0 }),
  longest_streak: Type.Integer({ minimum: 0 }),
  last_active_date: Type.Union([Type.String({ format: 'date', examples: ['2026-02-18'] }), Type.Null()]),
});
export type StreakDto = Static<typeof StreakSchema>;

export const StreakResponse = Envelope(StreakSchema);
