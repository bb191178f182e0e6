// Progress: today with the goal ring and the streak with its freezes, the week or month summary, a
// 12-week heatmap with frozen days, the badges, and the history (where a session can be relabelled).
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { User } from '../api/types.js';
import { duration } from '../lib/format.js';
import { type Progress, loadProgress, unavailableMessage } from '../lib/progress.js';
import { WEEKS } from '../lib/summary.js';
import { BadgeGrid } from './BadgeGrid.js';
import { Heatmap } from './Heatmap.js';
import { HistoryList } from './HistoryList.js';
import { useScreenHeading } from './hooks.js';
import { ProgressToday } from './ProgressToday.js';
import { SummaryCard } from './SummaryCard.js';
import './progress.css';

export function ProgressScreen({ user }: { user: User | null }) {
  const heading = useScreenHeading('Progress');
  const [loaded, setLoaded] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [relabelled, setRelabelled] = useState(0);

  const loadAll = useCallback(async () => {
    setError(null);
    try {
      setLoaded(await loadProgress());
    } catch (failure) {
      setError(unavailableMessage(failure, 'Progress'));
    }
  }, []);

  useEffect(() => {
    void loadAll();
  }, [loadAll]);

  const timeZone = user?.timezone ?? 'UTC';
  return (
    <section class="progress" aria-labelledby="progress-heading" aria-busy={!loaded && !error}>
      <h1 id="progress-heading" tabIndex={-1} ref={heading}>
        {user?.display_name ? `${user.display_name}'s progress` : 'Your progress'}
      </h1>
      {error ? (
        <div class="message error stack-sm" role="alert">
          <p>{error}</p>
          <button type="button" class="secondary" onClick={loadAll}>
            Try again
          </button>
        </div>
      ) : !loaded ? (
        <p class="muted">Loading progress…</p>
      ) : (
        <ProgressBody progress={loaded} user={user} timeZone={timeZone} relabelled={relabelled} onRelabel={() => setRelabelled((n) => n + 1)} />
      )}
    </section>
  );
}

interface BodyProps {
  progress: Progress;
  user: User | null;
  timeZone: string;
  relabelled: number;
  onRelabel: () => void;
}

function ProgressBody({ progress, user, timeZone, relabelled, onRelabel }: BodyProps) {
  const { stats, streak, days, badges, week } = progress;
  const today = stats.today.date;
  return (
    <>
      <ProgressToday stats={stats} streak={streak} />
      <p class="muted small totals">
        All time: {duration(stats.total_focus_seconds)} of focus in {stats.total_sessions_completed} completed{' '}
        {stats.total_sessions_completed === 1 ? 'session' : 'sessions'}
        {stats.total_sessions_abandoned > 0 ? `, ${stats.total_sessions_abandoned} given up` : ''}.
      </p>
      <SummaryCard today={today} initial={week} version={relabelled} />
      <section class="panel" aria-labelledby="heatmap-heading">
        <h2 id="heatmap-heading">{WEEKS} weeks</h2>
        <Heatmap days={days} today={today} weekStart={user?.settings.week_starts_on ?? 'monday'} />
      </section>
      <BadgeGrid badges={badges} timeZone={timeZone} />
      <HistoryList timeZone={timeZone} onRelabel={onRelabel} />
    </>
  );
}
