// Pure badge rules (contract 7): when a criteria is met, and how far a user is from it. Definitions
// are data; these rules only know the eight criteria types.
import type { Totals } from '../progress/progress-rules.js';

export const CRITERIA_TYPES = [
  'total_sessions',
  'total_focus_seconds',
  'streak_days',
  'session_focus_seconds',
  'daily_sessions',
  'daily_focus_seconds',
  'ended_before_hour',
  'ended_at_or_after_hour',
] as const;

export type CriteriaType = (typeof CRITERIA_TYPES)[number];

export const HOUR_CRITERIA: readonly CriteriaType[] = ['ended_before_hour', 'ended_at_or_after_hour'];

export interface Criteria {
  type: CriteriaType;
  threshold: number;
}

/**
 * What badges are judged on: the user's running totals and records (kept as sessions end, so no
 * history is scanned), plus the local hour of the session that just ended (null outside a completion).
 */
export interface BadgeFacts {
  totalSessions: number;
  totalFocusSeconds: number;
  /** The longest streak so far: equal to the current streak at the moment a streak reaches a new length. */
  longestStreak: number;
  longestSessionSeconds: number;
  bestDaySessions: number;
  bestDayFocusSeconds: number;
  endedLocalHour: number | null;
}

/** The facts of these totals; `endedLocalHour` is the local hour of the completion being judged, or null. */
export function badgeFacts(totals: Totals, endedLocalHour: number | null): BadgeFacts {
  return {
    totalSessions: totals.sessionsCompleted,
    totalFocusSeconds: totals.focusSeconds,
    longestStreak: totals.longestStreak,
    longestSessionSeconds: totals.longestSessionSeconds,
    bestDaySessions: totals.bestDaySessions,
    bestDayFocusSeconds: totals.bestDayFocusSeconds,
    endedLocalHour,
  };
}

/** The user's figure a counting criteria compares with its threshold. */
function figure(type: Exclude<CriteriaType, 'ended_before_hour' | 'ended_at_or_after_hour'>, facts: BadgeFacts): number {
  switch (type) {
    case 'total_sessions':
      return facts.totalSessions;
    case 'total_focus_seconds':
      return facts.totalFocusSeconds;
    case 'streak_days':
      return facts.longestStreak;
    case 'session_focus_seconds':
      return facts.longestSessionSeconds;
    case 'daily_sessions':
      return facts.bestDaySessions;
    case 'daily_focus_seconds':
      return facts.bestDayFocusSeconds;
  }
}

export function criteriaMet(criteria: Criteria, facts: BadgeFacts): boolean {
  switch (criteria.type) {
    case 'ended_before_hour':
      return facts.endedLocalHour !== null && facts.endedLocalHour < criteria.threshold;
    case 'ended_at_or_after_hour':
      return facts.endedLocalHour !== null && facts.endedLocalHour >= criteria.threshold;
    default:
      return figure(criteria.type, facts) >= criteria.threshold;
  }
}

/** The definitions (not yet earned) that these facts meet, in the order given. */
export function badgesNewlyEarned<T extends { criteria: Criteria }>(unearned: readonly T[], facts: BadgeFacts): T[] {
  return unearned.filter((definition) => criteriaMet(definition.criteria, facts));
}

export interface BadgeProgress {
  current: number;
  target: number;
}

/**
 * Progress towards a badge: for counting criteria the user's figure against the threshold (not
 * capped, so an earned badge shows how far past it the user is); for hour criteria, which one
 * session either meets or not, 1 when earned else 0, against 1.
 */
export function badgeProgress(criteria: Criteria, facts: BadgeFacts, earned: boolean): BadgeProgress {
  if (criteria.type === 'ended_before_hour' || criteria.type === 'ended_at_or_after_hour') {
    return { current: earned ? 1 : 0, target: 1 };
  }
  return { current: figure(criteria.type, facts), target: criteria.threshold };
}

/** Why a threshold cannot work for its type, or null when it is fine. */
export function thresholdProblem(criteria: Criteria): string | null {
  if (!Number.isInteger(criteria.threshold)) return 'must be an integer';
  if (HOUR_CRITERIA.includes(criteria.type)) {
    return criteria.threshold >= 0 && criteria.threshold <= 23 ? null : 'must be an hour from 0 to 23';
  }
  return criteria.threshold >= 1 ? null : 'must be at least 1';
}
