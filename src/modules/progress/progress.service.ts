// GET /progress and GET /stats: reads of the day rows and totals in the user's own time zone.
import type { DatabaseHandle } from '../../db/connect.js';
import { errors } from '../../errors.js';
import { localDay } from '../../time/calendar.js';
import { accountsRepository } from '../accounts/accounts.repository.js';
import { emptyDay, progressRange, zeroFilledDays } from './progress-rules.js';
import { type DayProgressDto, type ProgressInput, toDayProgressDto } from './progress.schemas.js';
import { progressRepository } from './progress.repository.js';

export function progressService({ db }: DatabaseHandle) {
  const repo = progressRepository(db);
  const accounts = accountsRepository(db);

  return {
    async days(userId: number, query: ProgressInput, now: Date): Promise<DayProgressDto[]> {
      const { timezone, dailyGoalSeconds } = await accounts.dayContextOf(userId);
      const range = progressRange(query, localDay(now, timezone));
      if (!range.ok) throw errors.validation([{ field: range.field, message: range.message }], `${range.field} ${range.message}`);
      const rows = await repo.days(userId, range.from, range.to);
      return zeroFilledDays(range.from, range.to, rows, dailyGoalSeconds).map(toDayProgressDto);
    },

    async stats(userId: number, now: Date) {
      const { timezone, dailyGoalSeconds } = await accounts.dayContextOf(userId);
      const today = localDay(now, timezone);
      const [totals, day] = await Promise.all([repo.totalsOf(userId), repo.day(userId, today)]);
      return {
        total_sessions_completed: totals.sessionsCompleted,
        total_sessions_abandoned: totals.sessionsAbandoned,
        total_focus_seconds: totals.focusSeconds,
        today: toDayProgressDto(day ?? emptyDay(today, dailyGoalSeconds)),
      };
    },
  };
}

export type ProgressService = ReturnType<typeof progressService>;
