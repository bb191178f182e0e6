// Pure streak rules (contracts 5, 6 and 13): the step a completed session makes, freezes included, and
// the streak as read.
import { type CalendarDay, addDays, daysBetween } from '../../time/calendar.js';

export interface StreakState {
  currentStreak: number;
  longestStreak: number;
  /** The latest local day with a completed session, or null before the first one. */
  lastActiveDay: CalendarDay | null;
  /** Streak freezes held, 0 to MAX_FREEZES. */
  freezesAvailable: number;
}

export const NO_STREAK: StreakState = Object.freeze({ currentStreak: 0, longestStreak: 0, lastActiveDay: null, freezesAvailable: 0 });

export const MAX_FREEZES = 2;
/** A freeze is earned each time a completion raises the streak to a multiple of this. */
export const DAYS_PER_FREEZE = 7;

/** What one completion did to the streak. */
export interface StreakStep {
  state: StreakState;
  /** The missed days the spent freezes now cover, ascending: they are stored as frozen day rows. */
  frozenDays: CalendarDay[];
  freezesUsed: number;
  freezeEarned: boolean;
}

/**
 * The streak after a session completed on local day `day`, with g = the days missed since the last
 * one: g = 0 → +1; g covered by the freezes held → those days frozen, g freezes spent, +1; more → 1,
 * no freeze spent; the same day, or an earlier one (a late end, a move west) → nothing changes.
 * Freezes are spent first, then one is earned when the streak was raised to a multiple of 7 (at most 2 held).
 */
export function nextStreak(state: StreakState, day: CalendarDay): StreakStep {
  const last = state.lastActiveDay;
  if (last === null) return raised({ ...state, currentStreak: 0 }, day, []);
  const missed = daysBetween(last, day) - 1;
  if (missed < 0) return { state, frozenDays: [], freezesUsed: 0, freezeEarned: false };
  if (missed > state.freezesAvailable) return raised({ ...state, currentStreak: 0 }, day, []);
  const frozenDays = Array.from({ length: missed }, (_, i) => addDays(last, i + 1));
  return raised({ ...state, freezesAvailable: state.freezesAvailable - missed }, day, frozenDays);
}

function raised(state: StreakState, day: CalendarDay, frozenDays: CalendarDay[]): StreakStep {
  const currentStreak = state.currentStreak + 1;
  const freezeEarned = currentStreak % DAYS_PER_FREEZE === 0 && state.freezesAvailable < MAX_FREEZES;
  return {
    state: {
      currentStreak,
      longestStreak: Math.max(state.longestStreak, currentStreak),
      lastActiveDay: day,
      freezesAvailable: freezeEarned ? state.freezesAvailable + 1 : state.freezesAvailable,
    },
    frozenDays,
    freezesUsed: frozenDays.length,
    freezeEarned,
  };
}

/**
 * The streak a reader sees on local day `today`: alive while the freezes held cover the days missed
 * since the last active day (the next completion would spend them), else broken (0).
 */
export function streakAsRead(state: StreakState, today: CalendarDay): StreakState {
  if (state.lastActiveDay === null) return state;
  // a last day after today (the user moved west since) misses no day
  const missed = daysBetween(state.lastActiveDay, today) - 1;
  return missed > state.freezesAvailable ? { ...state, currentStreak: 0 } : state;
}
