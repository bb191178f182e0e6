// Pure streak rules (contract 5 and 6): the step a completed session makes, and the streak as read.
import { type CalendarDay, addDays, daysBetween } from '../../time/calendar.js';

export interface StreakState {
  currentStreak: number;
  longestStreak: number;
  /** The latest local day with a completed session, or null before the first one. */
  lastActiveDay: CalendarDay | null;
}

export const NO_STREAK: StreakState = Object.freeze({ currentStreak: 0, longestStreak: 0, lastActiveDay: null });

/**
 * The streak after a session completed on local day `day`:
 * same day → unchanged; the next day → +1; no last day or a gap → 1;
 * a day earlier than the last one (the user moved west) → unchanged.
 */
export function nextStreak(state: StreakState, day: CalendarDay): StreakState {
  const last = state.lastActiveDay;
  if (last !== null) {
    const gap = daysBetween(last, day);
    if (gap <= 0) return state;
    if (gap === 1) return withLongest({ currentStreak: state.currentStreak + 1, longestStreak: state.longestStreak, lastActiveDay: day });
  }
  return withLongest({ currentStreak: 1, longestStreak: state.longestStreak, lastActiveDay: day });
}

function withLongest(state: StreakState): StreakState {
  return { ...state, longestStreak: Math.max(state.longestStreak, state.currentStreak) };
}

/** The streak a reader sees on local day `today`: a streak whose last day is before yesterday is broken (0). */
export function streakAsRead(state: StreakState, today: CalendarDay): StreakState {
  // Stryker disable next-line ConditionalExpression: null < "YYYY-MM-DD" is false in JavaScript too; the test is there for the type checker
  if (state.lastActiveDay !== null && state.lastActiveDay < addDays(today, -1)) return { ...state, currentStreak: 0 };
  return state;
}
