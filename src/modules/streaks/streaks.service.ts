// GET /streaks: the stored streak as read today in the user's zone (0 once broken, longest kept).
import type { DatabaseHandle } from '../../db/connect.js';
import { localDay } from '../../time/calendar.js';
import { accountsRepository } from '../accounts/accounts.repository.js';
import { progressRepository } from '../progress/progress.repository.js';
import { streakAsRead } from './streak-rules.js';
import { type StreakDto, toStreakDto } from './streaks.schemas.js';

export function streaksService({ db }: DatabaseHandle) {
  const repo = progressRepository(db);
  const accounts = accountsRepository(db);
  return {
    async current(userId: number, now: Date): Promise<StreakDto> {
      const [timezone, totals] = await Promise.all([accounts.timezoneOf(userId), repo.totalsOf(userId)]);
      return toStreakDto(streakAsRead(totals, localDay(now, timezone)));
    },
  };
}

export type StreaksService = ReturnType<typeof streaksService>;
