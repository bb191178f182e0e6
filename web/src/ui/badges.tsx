// Badge artwork: one glyph per criteria type, drawn with CSS (no image requests).
import type { Badge } from '../api/types.js';

const GLYPH: Record<Badge['criteria']['type'], string> = {
  total_sessions: '◎',
  total_focus_seconds: '⧗',
  streak_days: '🔥',
  session_focus_seconds: '◆',
  daily_sessions: '▦',
  daily_focus_seconds: '☀',
  ended_before_hour: '🌅',
  ended_at_or_after_hour: '🌙',
};

export function BadgeIcon({ type, earned }: { type: Badge['criteria']['type']; earned: boolean }) {
  return (
    <span class={`badge-icon ${earned ? 'earned' : ''}`} aria-hidden="true">
      {GLYPH[type] ?? '★'}
    </span>
  );
}
