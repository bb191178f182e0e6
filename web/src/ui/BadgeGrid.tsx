// The badges, earned ones first. On a phone the grid is compact and shows only the earned ones until
// "Show all" is pressed (progress.css hides the rest below 600 px; wider screens show every badge).
import { useState } from 'preact/hooks';
import type { Badge } from '../api/types.js';
import { BadgeIcon, badgeProgress } from './badges.js';

export function BadgeGrid({ badges, timeZone }: { badges: Badge[]; timeZone: string }) {
  const [all, setAll] = useState(false);
  const earnedOn = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' });
  const ordered = [...badges.filter((b) => b.earned_at), ...badges.filter((b) => !b.earned_at)];
  const earned = badges.length - badges.filter((b) => !b.earned_at).length;
  return (
    <section class="panel" aria-labelledby="badges-heading">
      <h2 id="badges-heading">
        Badges <span class="muted small">{earned} of {badges.length} earned</span>
      </h2>
      {earned === 0 && <p class="muted small badge-none">No badge earned yet: your first completed session earns one.</p>}
      <ul id="badge-grid" class={`badge-grid ${all ? 'show-all' : ''}`} data-testid="badges">
        {ordered.map((badge) => {
          const isEarned = Boolean(badge.earned_at);
          const pct = Math.min(100, Math.round((badge.progress.current / Math.max(1, badge.progress.target)) * 100));
          const progress = badgeProgress(badge);
          return (
            <li key={badge.code} class={`badge ${isEarned ? 'earned' : ''}`} data-badge={badge.code} data-earned={isEarned ? 'yes' : 'no'}>
              <BadgeIcon type={badge.criteria.type} earned={isEarned} />
              <div class="badge-body">
                <strong class="badge-name">{badge.name}</strong>
                <span class="badge-desc">{badge.description}</span>
                {isEarned ? (
                  <span class="badge-earned">Earned {earnedOn.format(new Date(badge.earned_at!))}</span>
                ) : (
                  progress && (
                    <span class="badge-progress">
                      <span class="meter" role="progressbar" aria-label={`${badge.name} progress`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
                        <span style={{ width: `${pct}%` }} />
                      </span>
                      <span class="small muted">{progress}</span>
                    </span>
                  )
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {earned < badges.length && (
        <button type="button" class="secondary badge-more" aria-expanded={all} aria-controls="badge-grid" onClick={() => setAll(!all)}>
          {all ? 'Show earned only' : `Show all ${badges.length} badges`}
        </button>
      )}
    </section>
  );
}
