import { Type } from '@sinclair/typebox';
import { Envelope } from '../../schemas.js';
import { BadgeSchema } from '../badges/badges.schemas.js';
import { DayProgressSchema } from '../progress/progress.schemas.js';
import { SessionSchema } from '../sessions/sessions.schemas.js';
import { StreakSchema } from '../streaks/streaks.schemas.js';

export const HomeSchema = Type.Object({
  active_session: Type.Union([SessionSchema, Type.Null()]),
  today: DayProgressSchema,
  streak: StreakSchema,
  recent_badges: Type.Array(BadgeSchema, { maxItems: 3, description: 'up to 3, newest first' }),
});

export const HomeResponse = Envelope(HomeSchema);
