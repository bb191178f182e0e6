import { describe, expect, it } from 'vitest';
import { EMPTY_TOTALS } from '../progress/progress-rules.js';
import { type BadgeFacts, type Criteria, badgeFacts, badgeProgress, badgesNewlyEarned, criteriaMet, thresholdProblem } from './badge-rules.js';

const facts = (overrides: Partial<BadgeFacts> = {}): BadgeFacts => ({
  totalSessions: 0,
  totalFocusSeconds: 0,
  longestStreak: 0,
  longestSessionSeconds: 0,
  bestDaySessions: 0,
  bestDayFocusSeconds: 0,
  endedLocalHour: null,
  ...overrides,
});

describe('badge criteria', () => {
  it.each<[Criteria['type'], keyof BadgeFacts, number]>([
    ['total_sessions', 'totalSessions', 10],
    ['total_focus_seconds', 'totalFocusSeconds', 3600],
    ['streak_days', 'longestStreak', 7],
    ['session_focus_seconds', 'longestSessionSeconds', 3600],
    ['daily_sessions', 'bestDaySessions', 4],
    ['daily_focus_seconds', 'bestDayFocusSeconds', 7200],
  ])('%s is met at its threshold and not one below', (type, fact, threshold) => {
    const criteria = { type, threshold };
    expect(criteriaMet(criteria, facts({ [fact]: threshold - 1 }))).toBe(false);
    expect(criteriaMet(criteria, facts({ [fact]: threshold }))).toBe(true);
    expect(criteriaMet(criteria, facts({ [fact]: threshold + 1 }))).toBe(true);
    expect(badgeProgress(criteria, facts({ [fact]: threshold - 1 }), false)).toEqual({ current: threshold - 1, target: threshold });
    expect(badgeProgress(criteria, facts({ [fact]: threshold + 5 }), true)).toEqual({ current: threshold + 5, target: threshold });
  });

  it('ended_before_hour 8 is met up to 07:59 local time and not from 08:00', () => {
    const earlyBird = { type: 'ended_before_hour', threshold: 8 } as const;
    expect(criteriaMet(earlyBird, facts({ endedLocalHour: 0 }))).toBe(true);
    expect(criteriaMet(earlyBird, facts({ endedLocalHour: 7 }))).toBe(true);
    expect(criteriaMet(earlyBird, facts({ endedLocalHour: 8 }))).toBe(false);
    expect(criteriaMet(earlyBird, facts({ endedLocalHour: 23 }))).toBe(false);
  });

  it('ended_at_or_after_hour 22 is met from 22:00 local time and not at 21:59', () => {
    const nightOwl = { type: 'ended_at_or_after_hour', threshold: 22 } as const;
    expect(criteriaMet(nightOwl, facts({ endedLocalHour: 21 }))).toBe(false);
    expect(criteriaMet(nightOwl, facts({ endedLocalHour: 22 }))).toBe(true);
    expect(criteriaMet(nightOwl, facts({ endedLocalHour: 23 }))).toBe(true);
  });

  it('hour criteria are never met outside a completion (no hour known)', () => {
    expect(criteriaMet({ type: 'ended_before_hour', threshold: 23 }, facts())).toBe(false);
    expect(criteriaMet({ type: 'ended_at_or_after_hour', threshold: 0 }, facts())).toBe(false);
  });

  it.each(['ended_before_hour', 'ended_at_or_after_hour'] as const)('%s shows progress 1 of 1 when earned and 0 of 1 when not', (type) => {
    const hourBadge = { type, threshold: 22 };
    expect(badgeProgress(hourBadge, facts(), true)).toEqual({ current: 1, target: 1 });
    expect(badgeProgress(hourBadge, facts({ endedLocalHour: 23 }), false)).toEqual({ current: 0, target: 1 });
  });

  it('picks the definitions the facts meet, in the order given', () => {
    const catalogue = [
      { code: 'first_focus', criteria: { type: 'total_sessions', threshold: 1 } },
      { code: 'sessions_10', criteria: { type: 'total_sessions', threshold: 10 } },
      { code: 'night_owl', criteria: { type: 'ended_at_or_after_hour', threshold: 22 } },
      { code: 'deep_work', criteria: { type: 'session_focus_seconds', threshold: 3600 } },
    ] as const;
    const met = badgesNewlyEarned(catalogue, facts({ totalSessions: 1, endedLocalHour: 22, longestSessionSeconds: 3600 }));
    expect(met.map((d) => d.code)).toEqual(['first_focus', 'night_owl', 'deep_work']);
    expect(badgesNewlyEarned([], facts({ totalSessions: 100 }))).toEqual([]);
  });

  it.each<[Criteria, string | null]>([
    [{ type: 'total_sessions', threshold: 1 }, null],
    [{ type: 'total_sessions', threshold: 0 }, 'must be at least 1'],
    [{ type: 'total_focus_seconds', threshold: 1.5 }, 'must be an integer'],
    [{ type: 'ended_before_hour', threshold: 0 }, null],
    [{ type: 'ended_at_or_after_hour', threshold: 23 }, null],
    [{ type: 'ended_at_or_after_hour', threshold: 24 }, 'must be an hour from 0 to 23'],
    [{ type: 'ended_before_hour', threshold: -1 }, 'must be an hour from 0 to 23'],
  ])('threshold check of %j: %s', (criteria, problem) => {
    expect(thresholdProblem(criteria)).toBe(problem);
  });
});

describe('badge facts', () => {
  it('turns totals into badge facts with the local hour of the completion', () => {
    const totals = { ...EMPTY_TOTALS, sessionsCompleted: 3, focusSeconds: 100, longestStreak: 2, currentStreak: 1, longestSessionSeconds: 50, bestDaySessions: 2, bestDayFocusSeconds: 70 };
    expect(badgeFacts(totals, 22)).toEqual({ totalSessions: 3, totalFocusSeconds: 100, longestStreak: 2, longestSessionSeconds: 50, bestDaySessions: 2, bestDayFocusSeconds: 70, endedLocalHour: 22 });
  });
});
