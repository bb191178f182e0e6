// Where the period's focus went, by tag: one stacked bar in the tags' own colours ("No tag" in the
// muted colour) and the list beside it with each tag's time, sessions and share.
import type { Summary } from '../api/types.js';
import { duration } from '../lib/format.js';

const NO_TAG = 'No tag';

export function SummaryTags({ byTag, total }: { byTag: Summary['by_tag']; total: number }) {
  if (byTag.length === 0) return <p class="muted small">No completed session in this period yet.</p>;
  const colour = (entry: Summary['by_tag'][number]) => entry.tag?.color ?? 'var(--muted)';
  return (
    <div class="tag-breakdown">
      <h3 class="small">By tag</h3>
      <div class="tag-stack" aria-hidden="true">
        {byTag.map((entry) => (
          <span key={entry.tag?.id ?? 0} style={{ flexGrow: entry.focus_seconds, background: colour(entry) }} />
        ))}
      </div>
      <ul class="tag-list" data-testid="summary-tags">
        {byTag.map((entry) => {
          const share = total > 0 ? Math.round((entry.focus_seconds / total) * 100) : 0;
          return (
            <li key={entry.tag?.id ?? 0} data-tag={entry.tag?.name ?? ''}>
              <span class="tag-dot" style={{ background: colour(entry) }} aria-hidden="true" />
              <span class="tag-name">{entry.tag?.name ?? NO_TAG}</span>
              <span class="tag-time">{duration(entry.focus_seconds)}</span>
              <span class="tag-share muted small">
                {entry.sessions_completed} {entry.sessions_completed === 1 ? 'session' : 'sessions'} · {share} %
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
