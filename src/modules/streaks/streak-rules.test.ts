import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../time/calendar.js';
import { NO_STREAK, type StreakState, nextStreak, streakAsRead } from './streak-rules.js';

const state = (currentStreak: number, longestStreak: number, lastActiveDay: string | null): StreakState => ({ currentStreak, longestStreak, lastActiveDay });

describe('the streak step of a completed session', () => {
  it('starts at 1 for the first completion ever', () => {
    expect(nextStreak(NO_STREAK, '2026-02-18')).toEqual(state(1, 1, '2026-02-18'));
  });

  it('leaves the streak unchanged on the same day as the last session', () => {
    expect(nextStreak(state(4, 9, '2026-02-18'), '2026-02-18')).toEqual(state(4, 9, '2026-02-18'));
  });

  it('adds 1 on the day after the last session', () => {
    expect(nextStreak(state(4, 9, '2026-02-18'), '2026-02-19')).toEqual(state(5, 9, '2026-02-19'));
  });

  it('raises the longest streak when the current one passes it', () => {
    expect(nextStreak(state(9, 9, '2026-02-18'), '2026-02-19')).toEqual(state(10, 10, '2026-02-19'));
  });

  it('counts the next day across a month, a leap day and a year end', () => {
    expect(nextStreak(state(1, 1, '2026-02-28'), '2026-03-01').currentStreak).toBe(2);
    expect(nextStreak(state(1, 1, '2028-02-28'), '2028-02-29').currentStreak).toBe(2);
    expect(nextStreak(state(1, 1, '2028-02-28'), '2028-03-01').currentStreak).toBe(1);
    expect(nextStreak(state(1, 1, '2026-12-31'), '2027-01-01').currentStreak).toBe(2);
  });

  it('resets to 1 after a gap of more than one day and keeps the longest', () => {
    expect(nextStreak(state(4, 9, '2026-02-18'), '2026-02-20')).toEqual(state(1, 9, '2026-02-20'));
    expect(nextStreak(state(12, 12, '2026-02-18'), '2027-02-18')).toEqual(state(1, 12, '2027-02-18'));
  });

  it('leaves everything unchanged for a day earlier than the last one (the user moved west)', () => {
    expect(nextStreak(state(3, 5, '2026-02-19'), '2026-02-18')).toEqual(state(3, 5, '2026-02-19'));
  });

  it('never lets the current streak exceed the longest, nor the last day go backwards', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 60 }), (offsets) => {
        let s = NO_STREAK;
        for (const offset of offsets) {
          const next = nextStreak(s, addDays('2026-01-01', offset));
          expect(next.currentStreak).toBeGreaterThanOrEqual(1);
          expect(next.currentStreak).toBeLessThanOrEqual(next.longestStreak);
          expect(next.longestStreak).toBeGreaterThanOrEqual(s.longestStreak);
          if (s.lastActiveDay !== null) expect(next.lastActiveDay! >= s.lastActiveDay).toBe(true);
          s = next;
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

  it('reads 0 once a whole day passed without a session, keeping the longest and the last day', () => {
    expect(streakAsRead(state(4, 9, '2026-02-16'), '2026-02-18')).toEqual(state(0, 9, '2026-02-16'));
    expect(streakAsRead(state(4, 9, '2026-02-28'), '2026-03-02')).toEqual(state(0, 9, '2026-02-28'));
  });

  it('keeps the streak when the last day is after today (the user moved west since)', () => {
    expect(streakAsRead(state(2, 2, '2026-02-19'), '2026-02-18')).toEqual(state(2, 2, '2026-02-19'));
  });
});
