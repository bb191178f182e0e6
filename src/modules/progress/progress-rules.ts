// Pure rules of daily progress and per-user totals: what one ended session adds, and the range reads.
import { type CalendarDay, addDays, daysBetween, isCalendarDay } from '../../time/calendar.js';

/**
 * The per-user running totals, kept as sessions end so no read or badge check scans history. The
 * streak and the freezes held are stored here too; streak-rules.ts decides their step (a Totals is a StreakState).
 */
export interface Totals {
  sessionsCompleted: number;
  sessionsAbandoned: number;
  focusSeconds: number;
  currentStreak: number;
  longestStreak: number;
  lastActiveDay: CalendarDay | null;
  freezesAvailable: number;
  longestSessionSeconds: number;
  bestDaySessions: number;
  bestDayFocusSeconds: number;
}

export const EMPTY_TOTALS: Totals = Object.freeze({
  sessionsCompleted: 0,
  sessionsAbandoned: 0,
  focusSeconds: 0,
  currentStreak: 0,
  longestStreak: 0,
  lastActiveDay: null,
  freezesAvailable: 0,
  longestSessionSeconds: 0,
  bestDaySessions: 0,
  bestDayFocusSeconds: 0,
});

export interface DayProgress {
  day: CalendarDay;
  focusSeconds: number;
  sessionsCompleted: number;
  /** The daily goal this day is measured against; 0 = no goal. */
  goalSeconds: number;
  /** A streak freeze covered this day (contract 13); a late completion on it later makes it a day with completions instead. */
  frozen: boolean;
}

/**
 * A day without a completed session. It has no goal of its own yet, so it shows the current one;
 * a day with completions keeps the goal stored with its last one (contract 12).
 */
export function emptyDay(day: CalendarDay, currentGoalSeconds: number): DayProgress {
  return { day, focusSeconds: 0, sessionsCompleted: 0, goalSeconds: currentGoalSeconds, frozen: false };
}

/** Contract 12: a goal of 0 is no goal, so it is never met. */
export function goalMet(day: DayProgress): boolean {
  return day.goalSeconds > 0 && day.focusSeconds >= day.goalSeconds;
}

/** The counts and records after a session of `elapsedSeconds` completed on the day whose progress row is now `dayAfter` (the streak is left as it was). */
export function totalsAfterCompletion(totals: Totals, elapsedSeconds: number, dayAfter: DayProgress): Totals {
  return {
    ...totals,
    sessionsCompleted: totals.sessionsCompleted + 1,
    focusSeconds: totals.focusSeconds + elapsedSeconds,
    longestSessionSeconds: Math.max(totals.longestSessionSeconds, elapsedSeconds),
    bestDaySessions: Math.max(totals.bestDaySessions, dayAfter.sessionsCompleted),
    bestDayFocusSeconds: Math.max(totals.bestDayFocusSeconds, dayAfter.focusSeconds),
  };
}

export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 7;

export type RangeResult = { ok: true; from: CalendarDay; to: CalendarDay } | { ok: false; field: 'from' | 'to'; message: string };

/**
 * The days GET /progress covers: `to` defaults to today, `from` to six days before `to`; both must
 * be real dates, from <= to, at most 366 days.
 */
export function progressRange(query: { from?: string | undefined; to?: string | undefined }, today: CalendarDay): RangeResult {
  if (query.from !== undefined && !isCalendarDay(query.from)) return { ok: false, field: 'from', message: 'must be a date written YYYY-MM-DD' };
  if (query.to !== undefined && !isCalendarDay(query.to)) return { ok: false, field: 'to', message: 'must be a date written YYYY-MM-DD' };
  const to = query.to ?? today;
  const from = query.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  const days = daysBetween(from, to) + 1;
  if (days < 1) return { ok: false, field: 'from', message: 'must not be after to' };
  if (days > MAX_RANGE_DAYS) return { ok: false, field: 'to', message: `must be at most ${MAX_RANGE_DAYS} days after from (inclusive)` };
  return { ok: true, from, to };
}

/** One entry per day from `from` to `to`, ascending; a day without a row is an emptyDay. */
export function zeroFilledDays(from: CalendarDay, to: CalendarDay, rows: readonly DayProgress[], currentGoalSeconds: number): DayProgress[] {
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const out: DayProgress[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    out.push(byDay.get(day) ?? emptyDay(day, currentGoalSeconds));
  }
  return out;
}
