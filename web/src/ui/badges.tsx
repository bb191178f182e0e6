// Badge artwork: one small inline SVG per criteria type (no emoji font or image request needed), and the
// progress line under a badge not earned yet.
import type { Badge } from '../api/types.js';
import { duration } from '../lib/format.js';

type CriteriaType = Badge['criteria']['type'];

const PATHS: Record<CriteriaType, string> = {
  // concentric target
  total_sessions: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zm0 4a5 5 0 1 1 0 10a5 5 0 1 1 0-10zm0 3a2 2 0 1 0 0 4a2 2 0 1 0 0-4z',
  // hourglass
  total_focus_seconds: 'M6 3h12v2c0 3-2.5 5-4.5 7c2 2 4.5 4 4.5 7v2H6v-2c0-3 2.5-5 4.5-7C8.5 10 6 8 6 5zm2 2c0 2 2 3.6 4 5.6c2-2 4-3.6 4-5.6z',
  // flame
  streak_days: 'M12 2c1 4 6 6 6 12a6 6 0 0 1-12 0c0-3 1.5-5 3-6c0 2 1 3.5 2.5 3.5C11 9 10 6 12 2z',
  // diamond
  session_focus_seconds: 'M12 2l8 10l-8 10l-8-10z',
  // calendar
  daily_sessions: 'M5 5h14a1 1 0 0 1 1 1v13a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1zm1 5v8h12v-8zm1-8h2v4H7zm8 0h2v4h-2zM8 12h3v2H8zm5 0h3v2h-3z',
  // sun
  daily_focus_seconds: 'M12 7a5 5 0 1 1 0 10a5 5 0 1 1 0-10zM11 1h2v4h-2zm0 18h2v4h-2zM1 11h4v2H1zm18 0h4v2h-4z',
  // sunrise
  ended_before_hour: 'M12 9a6 6 0 0 1 6 6H6a6 6 0 0 1 6-6zM2 17h20v2H2zm9-14h2v4h-2zM3.5 8.9l1.4-1.4l2.5 2.5L6 11.4zm13.1 1.1l2.5-2.5l1.4 1.4L18 11.4z',
  // crescent moon
  ended_at_or_after_hour: 'M14.5 2A9.5 9.5 0 1 0 22 15.5A7.5 7.5 0 0 1 14.5 2z',
};

export function BadgeIcon({ type, earned }: { type: CriteriaType; earned: boolean }) {
  return (
    <span class={`badge-icon ${earned ? 'earned' : ''}`} aria-hidden="true">
      <svg viewBox="0 0 24 24" width="20" height="20" fill="currentColor" fill-rule="evenodd">
        <path d={PATHS[type] ?? PATHS.total_sessions} />
      </svg>
    </span>
  );
}

/**
 * How far the caller is towards a badge ("3 / 10", "25 min / 1 h"), or null for a badge won by one
 * session at some hour: its description (the server's words) already says what to do, and a second
 * sentence here would only repeat it, or contradict it.
 */
export function badgeProgress(badge: Badge): string | null {
  const { current, target } = badge.progress;
  const type = badge.criteria.type;
  if (type === 'ended_before_hour' || type === 'ended_at_or_after_hour') return null;
  if (type.endsWith('focus_seconds')) return `${duration(Math.min(current, target))} / ${duration(target)}`;
  return `${Math.min(current, target)} / ${target}`;
}
