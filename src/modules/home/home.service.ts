// GET /home: the app's home screen in one round trip; every part is a keyed read (no history scan).
import type { DatabaseHandle } from '../../db/connect.js';
import { localDay } from '../../time/calendar.js';
import { accountsRepository } from '../accounts/accounts.repository.js';
import { badgeFacts } from '../badges/badge-rules.js';
import { toBadgeDto } from '../badges/badges.schemas.js';
import { badgesRepository } from '../badges/badges.repository.js';
import { emptyDay } from '../progress/progress-rules.js';
import { toDayProgressDto } from '../progress/progress.schemas.js';
import { progressRepository } from '../progress/progress.repository.js';
import { toSessionDto } from '../sessions/sessions.schemas.js';
import { sessionsRepository } from '../sessions/sessions.repository.js';
import { streakAsRead } from '../streaks/streak-rules.js';
import { toStreakDto } from '../streaks/streaks.schemas.js';

export const RECENT_BADGES = 3;

export function homeService({ db }: DatabaseHandle) {
  const accounts = accountsRepository(db);
  const progress = progressRepository(db);
  const badges = badgesRepository(db);
  const sessions = sessionsRepository(db);

  return {
    async screen(userId: number, now: Date) {
      const { timezone, dailyGoalSeconds } = await accounts.dayContextOf(userId);
      const today = localDay(now, timezone);
      const [running, day, totals, recent] = await Promise.all([
        sessions.findRunning(userId),
        progress.day(userId, today),
        progress.totalsOf(userId),
        badges.recentFor(userId, RECENT_BADGES),
      ]);
      const facts = badgeFacts(totals, null);
      return {
        active_session: running ? toSessionDto(running) : null,
        today: toDayProgressDto(day ?? emptyDay(today, dailyGoalSeconds)),
        streak: toStreakDto(streakAsRead(totals, today)),
        recent_badges: recent.map((badge) => toBadgeDto(badge, badge.earnedAt, facts)),
      };
    },
  };
}

export type HomeService = ReturnType<typeof homeService>;
