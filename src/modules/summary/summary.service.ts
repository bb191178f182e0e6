// GET /summary (contract 14): a week or a month at a glance. Totals and by_day come from the day rows,
// the abandoned count and by_tag from the sessions' stored end days; every read is an index range
// over the period (and the one before), so the cost does not grow with the rest of the history.
import type { DatabaseHandle } from '../../db/connect.js';
import { errors } from '../../errors.js';
import { localDay } from '../../time/calendar.js';
import { zeroFilledDays } from '../progress/progress-rules.js';
import { toDayProgressDto } from '../progress/progress.schemas.js';
import { progressRepository } from '../progress/progress.repository.js';
import { bestDay, periodTotals, summaryRange, tagTotalsInOrder } from './summary-rules.js';
import type { SummaryDto, SummaryInput } from './summary.schemas.js';
import { summaryRepository } from './summary.repository.js';

export function summaryService({ db }: DatabaseHandle) {
  const repo = summaryRepository(db);
  const progress = progressRepository(db);

  return {
    async summary(userId: number, query: SummaryInput, now: Date): Promise<SummaryDto> {
      const settings = await repo.settingsOf(userId);
      const period = query.period ?? 'week';
      const range = summaryRange(period, query.date ?? localDay(now, settings.timezone), settings.weekStartsOn);
      if (!range.ok) throw errors.validation([{ field: 'date', message: range.message }], `date ${range.message}`);
      const { current, previous } = range;

      // One range of day rows covers both periods: they are adjacent.
      const [rows, ended] = await Promise.all([progress.days(userId, previous.from, current.to), repo.endedInRange(userId, current)]);
      const days = zeroFilledDays(current.from, current.to, rows, settings.dailyGoalSeconds);
      const totals = periodTotals(days);
      const before = periodTotals(rows.filter((row) => row.day < current.from));
      const best = bestDay(days);
      const byTag = tagTotalsInOrder(
        ended.filter((group) => group.status === 'completed').map((group) => ({ tag: group.tag, focusSeconds: group.focusSeconds, sessionsCompleted: group.sessions })),
      );

      return {
        period,
        from: current.from,
        to: current.to,
        focus_seconds: totals.focusSeconds,
        sessions_completed: totals.sessionsCompleted,
        sessions_abandoned: ended.filter((group) => group.status === 'abandoned').reduce((sum, group) => sum + group.sessions, 0),
        days_active: totals.daysActive,
        goal_days_met: totals.goalDaysMet,
        best_day: best && { date: best.day, focus_seconds: best.focusSeconds },
        by_day: days.map(toDayProgressDto),
        by_tag: byTag.map((line) => ({ tag: line.tag, focus_seconds: line.focusSeconds, sessions_completed: line.sessionsCompleted })),
        previous: { from: previous.from, to: previous.to, focus_seconds: before.focusSeconds, sessions_completed: before.sessionsCompleted },
      };
    },
  };
}

export type SummaryService = ReturnType<typeof summaryService>;
