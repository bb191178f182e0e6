import { describe, expect, it } from 'vitest';
import { EMPTY_TOTALS, emptyDay, goalMet, progressRange, totalsAfterCompletion, zeroFilledDays } from './progress-rules.js';

describe('totals after a completion', () => {
  it('counts the session, its seconds and the records, and leaves the streak to the streak rules', () => {
    const after = totalsAfterCompletion(EMPTY_TOTALS, 1500, { day: '2026-02-18', focusSeconds: 1500, sessionsCompleted: 1, goalSeconds: 0, frozen: false });
    expect(after).toEqual({
      sessionsCompleted: 1,
      sessionsAbandoned: 0,
      focusSeconds: 1500,
      currentStreak: 0,
      longestStreak: 0,
      lastActiveDay: null,
      freezesAvailable: 0,
      longestSessionSeconds: 1500,
      bestDaySessions: 1,
      bestDayFocusSeconds: 1500,
    });
  });

  it('keeps the best day and the longest session when a smaller one follows', () => {
    const before = { ...EMPTY_TOTALS, sessionsCompleted: 5, sessionsAbandoned: 2, focusSeconds: 9000, currentStreak: 2, longestStreak: 2, lastActiveDay: '2026-02-18', freezesAvailable: 1, longestSessionSeconds: 3600, bestDaySessions: 4, bestDayFocusSeconds: 7200 };
    const after = totalsAfterCompletion(before, 60, { day: '2026-02-19', focusSeconds: 60, sessionsCompleted: 1, goalSeconds: 0, frozen: false });
    expect(after).toMatchObject({ sessionsCompleted: 6, sessionsAbandoned: 2, focusSeconds: 9060, currentStreak: 2, longestStreak: 2, lastActiveDay: '2026-02-18', freezesAvailable: 1, longestSessionSeconds: 3600, bestDaySessions: 4, bestDayFocusSeconds: 7200 });
  });
});

describe('the range of GET /progress', () => {
  it('defaults to the 7 days ending today', () => {
    expect(progressRange({}, '2026-02-18')).toEqual({ ok: true, from: '2026-02-12', to: '2026-02-18' });
  });

  it('defaults from to six days before a given to, and to to today for a given from', () => {
    expect(progressRange({ to: '2026-03-02' }, '2026-06-01')).toEqual({ ok: true, from: '2026-02-24', to: '2026-03-02' });
    expect(progressRange({ from: '2026-02-01' }, '2026-02-18')).toEqual({ ok: true, from: '2026-02-01', to: '2026-02-18' });
  });

  it('allows one day and 366 days, refuses 367', () => {
    expect(progressRange({ from: '2026-02-18', to: '2026-02-18' }, '2026-02-18')).toMatchObject({ ok: true });
    expect(progressRange({ from: '2028-01-01', to: '2028-12-31' }, '2026-02-18')).toMatchObject({ ok: true });
    expect(progressRange({ from: '2026-01-01', to: '2027-01-02' }, '2026-02-18')).toEqual({
      ok: false,
      field: 'to',
      message: 'must be at most 366 days after from (inclusive)',
    });
  });

  // The messages reach API clients in the validation error, so they are part of the contract.
  it('refuses from after to and dates that do not exist, saying which and why', () => {
    const notADate = 'must be a date written YYYY-MM-DD';
    expect(progressRange({ from: '2026-02-19', to: '2026-02-18' }, '2026-02-18')).toEqual({ ok: false, field: 'from', message: 'must not be after to' });
    expect(progressRange({ from: '2026-02-30' }, '2026-03-18')).toEqual({ ok: false, field: 'from', message: notADate });
    expect(progressRange({ to: '2026-13-01' }, '2026-03-18')).toEqual({ ok: false, field: 'to', message: notADate });
  });
});

describe('zero-filled days', () => {
  it('gives one entry per day, ascending; a day with a row keeps its goal, a day without one shows the current goal', () => {
    const rows = [
      { day: '2026-02-28', focusSeconds: 60, sessionsCompleted: 1, goalSeconds: 1800, frozen: false },
      { day: '2026-03-02', focusSeconds: 120, sessionsCompleted: 2, goalSeconds: 0, frozen: false },
    ];
    expect(zeroFilledDays('2026-02-27', '2026-03-02', rows, 3600)).toEqual([
      { day: '2026-02-27', focusSeconds: 0, sessionsCompleted: 0, goalSeconds: 3600, frozen: false },
      { day: '2026-02-28', focusSeconds: 60, sessionsCompleted: 1, goalSeconds: 1800, frozen: false },
      { day: '2026-03-01', focusSeconds: 0, sessionsCompleted: 0, goalSeconds: 3600, frozen: false },
      { day: '2026-03-02', focusSeconds: 120, sessionsCompleted: 2, goalSeconds: 0, frozen: false },
    ]);
  });
});

describe('the daily goal', () => {
  const day = (focusSeconds: number, goalSeconds: number) => ({ day: '2026-02-18', focusSeconds, sessionsCompleted: 1, goalSeconds, frozen: false });

  it('is met once the focus reaches it, not before', () => {
    expect(goalMet(day(3599, 3600))).toBe(false);
    expect(goalMet(day(3600, 3600))).toBe(true);
    expect(goalMet(day(5000, 3600))).toBe(true);
  });

  it('of 0 is no goal, never met, whatever the focus', () => {
    expect(goalMet(day(0, 0))).toBe(false);
    expect(goalMet(day(86400, 0))).toBe(false);
  });

  it('of an empty day is the current one, and is not met without focus', () => {
    expect(emptyDay('2026-02-18', 1800)).toEqual({ day: '2026-02-18', focusSeconds: 0, sessionsCompleted: 0, goalSeconds: 1800, frozen: false });
    expect(goalMet(emptyDay('2026-02-18', 1800))).toBe(false);
  });
});
