import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../time/calendar.js';
import { MAX_FREEZES, NO_STREAK, type StreakState, type StreakStep, nextStreak, streakAsRead } from './streak-rules.js';

const state = (currentStreak: number, longestStreak: number, lastActiveDay: string | null, freezesAvailable = 0): StreakState => ({
  currentStreak,
  longestStreak,
  lastActiveDay,
  freezesAvailable,
});
const step = (s: StreakState, frozenDays: string[] = [], freezeEarned = false): StreakStep => ({ state: s, frozenDays, freezesUsed: frozenDays.length, freezeEarned });

describe('the streak step of a completed session', () => {
  it('starts at 1 for the first completion ever', () => {
    expect(nextStreak(NO_STREAK, '2026-02-18')).toEqual(step(state(1, 1, '2026-02-18')));
  });

  it('leaves the streak unchanged on the same day as the last session', () => {
    expect(nextStreak(state(4, 9, '2026-02-18', 1), '2026-02-18')).toEqual(step(state(4, 9, '2026-02-18', 1)));
  });

  it('adds 1 on the day after the last session', () => {
    expect(nextStreak(state(4, 9, '2026-02-18', 1), '2026-02-19')).toEqual(step(state(5, 9, '2026-02-19', 1)));
  });

  it('raises the longest streak when the current one passes it', () => {
    expect(nextStreak(state(9, 9, '2026-02-18'), '2026-02-19')).toEqual(step(state(10, 10, '2026-02-19')));
  });

  it('counts the next day across a month, a leap day and a year end', () => {
    expect(nextStreak(state(1, 1, '2026-02-28'), '2026-03-01').state.currentStreak).toBe(2);
    expect(nextStreak(state(1, 1, '2028-02-28'), '2028-02-29').state.currentStreak).toBe(2);
    expect(nextStreak(state(1, 1, '2028-02-28'), '2028-03-01').state.currentStreak).toBe(1);
    expect(nextStreak(state(1, 1, '2026-12-31'), '2027-01-01').state.currentStreak).toBe(2);
  });

  it('restarts at 1 after a missed day without a freeze, keeping the longest', () => {
    expect(nextStreak(state(4, 9, '2026-02-18'), '2026-02-20')).toEqual(step(state(1, 9, '2026-02-20')));
    expect(nextStreak(state(12, 12, '2026-02-18'), '2027-02-18')).toEqual(step(state(1, 12, '2027-02-18')));
  });

  it('leaves everything unchanged for a day earlier than the last one (a late end or a move west)', () => {
    expect(nextStreak(state(3, 5, '2026-02-19', 2), '2026-02-18')).toEqual(step(state(3, 5, '2026-02-19', 2)));
    expect(nextStreak(state(6, 6, '2026-02-19', 1), '2026-02-10')).toEqual(step(state(6, 6, '2026-02-19', 1)));
  });
});

describe('streak freezes in the step', () => {
  it('spends one freeze on one missed day: that day is frozen and the streak goes +1', () => {
    expect(nextStreak(state(8, 8, '2026-02-18', 1), '2026-02-20')).toEqual(step(state(9, 9, '2026-02-20', 0), ['2026-02-19']));
  });

  it('spends two freezes on two missed days, across a month end', () => {
    expect(nextStreak(state(10, 12, '2026-02-27', 2), '2026-03-02')).toEqual(step(state(11, 12, '2026-03-02', 0), ['2026-02-28', '2026-03-01']));
  });

  it('spends only the freezes the gap needs', () => {
    expect(nextStreak(state(3, 3, '2026-02-18', 2), '2026-02-20')).toEqual(step(state(4, 4, '2026-02-20', 1), ['2026-02-19']));
  });

  it('spends none when the gap is larger than the freezes held: the streak restarts at 1 and they are kept', () => {
    expect(nextStreak(state(8, 8, '2026-02-18', 1), '2026-02-21')).toEqual(step(state(1, 8, '2026-02-21', 1)));
    expect(nextStreak(state(8, 8, '2026-02-18', 2), '2026-02-22')).toEqual(step(state(1, 8, '2026-02-22', 2)));
  });

  it('earns one freeze when the streak reaches 7, and none at 6 or 8', () => {
    expect(nextStreak(state(6, 6, '2026-02-18'), '2026-02-19')).toEqual(step(state(7, 7, '2026-02-19', 1), [], true));
    expect(nextStreak(state(5, 6, '2026-02-18'), '2026-02-19')).toEqual(step(state(6, 6, '2026-02-19', 0)));
    expect(nextStreak(state(7, 7, '2026-02-18', 1), '2026-02-19')).toEqual(step(state(8, 8, '2026-02-19', 1)));
  });

  it('earns again at 14 and 21, up to 2 held', () => {
    expect(nextStreak(state(13, 13, '2026-02-18', 1), '2026-02-19')).toEqual(step(state(14, 14, '2026-02-19', 2), [], true));
    expect(nextStreak(state(20, 20, '2026-02-18', 2), '2026-02-19')).toEqual(step(state(21, 21, '2026-02-19', 2)));
  });

  it('spends first, then earns: reaching 14 over a frozen day with 2 held leaves 2', () => {
    expect(nextStreak(state(13, 13, '2026-02-18', 2), '2026-02-20')).toEqual(step(state(14, 14, '2026-02-20', 2), ['2026-02-19'], true));
  });

  it('earns nothing when the streak was not raised to a multiple of 7 (same day at 7, a late end at 14)', () => {
    expect(nextStreak(state(7, 7, '2026-02-18', 0), '2026-02-18').freezeEarned).toBe(false);
    expect(nextStreak(state(14, 14, '2026-02-18', 1), '2026-02-17')).toEqual(step(state(14, 14, '2026-02-18', 1)));
  });

  it('keeps its invariants for any completion days: current <= longest, 0..2 freezes, frozen days fill exactly the gap', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 80 }), (offsets) => {
        let s = NO_STREAK;
        for (const offset of offsets) {
          const day = addDays('2026-01-01', offset);
          const next = nextStreak(s, day);
          expect(next.state.currentStreak).toBeGreaterThanOrEqual(1);
          expect(next.state.currentStreak).toBeLessThanOrEqual(next.state.longestStreak);
          expect(next.state.longestStreak).toBeGreaterThanOrEqual(s.longestStreak);
          expect(next.state.freezesAvailable).toBeGreaterThanOrEqual(0);
          expect(next.state.freezesAvailable).toBeLessThanOrEqual(MAX_FREEZES);
          expect(next.state.freezesAvailable).toBe(s.freezesAvailable - next.freezesUsed + (next.freezeEarned ? 1 : 0));
          if (s.lastActiveDay !== null) expect(next.state.lastActiveDay! >= s.lastActiveDay).toBe(true);
          if (next.frozenDays.length > 0) {
            expect(next.frozenDays).toEqual(next.frozenDays.map((_, i) => addDays(s.lastActiveDay!, i + 1)));
            expect(daysBetween(next.frozenDays.at(-1)!, day)).toBe(1);
          }
          s = next.state;
        }
      }),
    );
  });
});

describe('the streak as read on a day', () => {
  it('reads a new user as zeros and no day', () => {
    expect(streakAsRead(NO_STREAK, '2026-02-18')).toEqual(state(0, 0, null));
  });

  it('keeps the streak when the last session was today or yesterday', () => {
    expect(streakAsRead(state(4, 9, '2026-02-18'), '2026-02-18')).toEqual(state(4, 9, '2026-02-18'));
    expect(streakAsRead(state(4, 9, '2026-02-17'), '2026-02-18')).toEqual(state(4, 9, '2026-02-17'));
  });

  it('reads 0 once a whole day passed without a session and no freeze, keeping the longest and the last day', () => {
    expect(streakAsRead(state(4, 9, '2026-02-16'), '2026-02-18')).toEqual(state(0, 9, '2026-02-16'));
    expect(streakAsRead(state(4, 9, '2026-02-28'), '2026-03-02')).toEqual(state(0, 9, '2026-02-28'));
  });

  it('keeps the streak while the freezes held cover the missed days, and reads 0 the day after', () => {
    expect(streakAsRead(state(8, 8, '2026-02-16', 1), '2026-02-18')).toEqual(state(8, 8, '2026-02-16', 1));
    expect(streakAsRead(state(8, 8, '2026-02-16', 1), '2026-02-19')).toEqual(state(0, 8, '2026-02-16', 1));
    expect(streakAsRead(state(8, 8, '2026-02-16', 2), '2026-02-19')).toEqual(state(8, 8, '2026-02-16', 2));
    expect(streakAsRead(state(8, 8, '2026-02-16', 2), '2026-02-20')).toEqual(state(0, 8, '2026-02-16', 2));
  });

  it('keeps the streak when the last day is after today (the user moved west since)', () => {
    expect(streakAsRead(state(2, 2, '2026-02-19'), '2026-02-18')).toEqual(state(2, 2, '2026-02-19'));
  });

  it('agrees with the step: a read keeps the streak exactly when a completion today would not restart it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: MAX_FREEZES }), fc.integer({ min: 1, max: 6 }), (streak, freezes, after) => {
        const s = state(streak, streak, '2026-02-18', freezes);
        const today = addDays('2026-02-18', after);
        const alive = streakAsRead(s, today).currentStreak > 0;
        expect(alive).toBe(nextStreak(s, today).state.currentStreak > 1);
      }),
    );
  });
});
