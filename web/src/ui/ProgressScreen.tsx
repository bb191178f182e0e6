// Progress: today, streaks, a 7-day bar chart, a 12-week heatmap, the badge grid, and history.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Badge, DayProgress, FocusSession, User } from '../api/types.js';
import { duration, shortWeekday } from '../lib/format.js';
import { type Progress, WEEKS, loadHistory, loadProgress } from '../lib/progress.js';
import { BadgeIcon } from './badges.js';

export function ProgressScreen({ user }: { user: User | null }) {
  const [loaded, setLoaded] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);

  const loadAll = useCallback(async () => {
    setError(null);
    try {
      setLoaded(await loadProgress());
    } catch {
      setError('Progress could not be loaded. It needs the network; your timer works offline.');
    }
  }, []);

  useEffect(() => {
    void loadAll();
  }, [loadAll]);

  if (error)
    return (
      <section class="progress">
        <p class="notice" role="alert">
          {error}
        </p>
        <button type="button" class="secondary" onClick={loadAll}>
          Try again
        </button>
      </section>
    );
  if (!loaded)
    return (
      <section class="progress" aria-busy="true">
        <p class="muted">Loading progress…</p>
      </section>
    );

  const { stats, streak, days, badges } = loaded;
  const earned = badges.filter((b) => b.earned_at).length;
  return (
    <section class="progress" aria-labelledby="progress-heading">
      <h1 id="progress-heading">{user?.display_name ? `${user.display_name}'s progress` : 'Your progress'}</h1>
      <div class="cards" data-testid="summary">
        <Card label="Focus today" value={duration(stats.today.focus_seconds)} />
        <Card label="Sessions today" value={String(stats.today.sessions_completed)} />
        <Card label="Current streak" value={`${streak.current_streak} ${streak.current_streak === 1 ? 'day' : 'days'}`} accent />
        <Card label="Longest streak" value={`${streak.longest_streak} ${streak.longest_streak === 1 ? 'day' : 'days'}`} />
      </div>
      <p class="muted small totals">
        All time: {duration(stats.total_focus_seconds)} of focus in {stats.total_sessions_completed} completed{' '}
        {stats.total_sessions_completed === 1 ? 'session' : 'sessions'}
        {stats.total_sessions_abandoned > 0 ? `, ${stats.total_sessions_abandoned} abandoned` : ''}.
      </p>
      <div class="charts">
        <div class="panel">
          <h2>Last 7 days</h2>
          <WeekChart days={days.slice(-7)} />
        </div>
        <div class="panel">
          <h2>12 weeks</h2>
          <Heatmap days={days} />
        </div>
      </div>
      <div class="panel">
        <h2>
          Badges <span class="muted small">{earned} of {badges.length} earned</span>
        </h2>
        <BadgeGrid badges={badges} timeZone={user?.timezone ?? 'UTC'} />
      </div>
      <div class="panel">
        <h2>History</h2>
        <History timeZone={user?.timezone ?? 'UTC'} />
      </div>
    </section>
  );
}

function Card({ label, value, accent }: { label: string; value: string; accent?: boolean }) {
  return (
    <div class={`card ${accent ? 'accent' : ''}`}>
      <p class="card-value">{value}</p>
      <p class="card-label">{label}</p>
    </div>
  );
}

function WeekChart({ days }: { days: DayProgress[] }) {
  const max = Math.max(1500, ...days.map((d) => d.focus_seconds));
  return (
    <ol class="bars" aria-label="Focus time per day, last 7 days" data-testid="week-chart">
      {days.map((day, i) => (
        <li key={day.date} aria-label={`${shortWeekday(day.date)} ${day.date}: ${duration(day.focus_seconds)}, ${day.sessions_completed} sessions`}>
          <span class="bar-value" aria-hidden="true">
            {day.focus_seconds > 0 ? Math.round(day.focus_seconds / 60) : ''}
          </span>
          <span class="bar-track" aria-hidden="true">
            <span class={`bar ${i === days.length - 1 ? 'today' : ''}`} style={{ height: `${(day.focus_seconds / max) * 100}%` }} />
          </span>
          <span class="bar-label" aria-hidden="true">
            {shortWeekday(day.date).slice(0, 2)}
          </span>
        </li>
      ))}
    </ol>
  );
}

function level(seconds: number): number {
  if (seconds <= 0) return 0;
  if (seconds < 1500) return 1;
  if (seconds < 3600) return 2;
  if (seconds < 7200) return 3;
  return 4;
}

function Heatmap({ days }: { days: DayProgress[] }) {
  const total = days.reduce((sum, d) => sum + d.focus_seconds, 0);
  const active = days.filter((d) => d.focus_seconds > 0).length;
  // Pad the current week after today so every column has seven cells.
  const cells: (DayProgress | null)[] = [...days];
  while (cells.length % 7 !== 0) cells.push(null);
  return (
    <figure class="heatmap-wrap">
      <div class="heatmap" role="img" aria-label={`Focus over the last ${WEEKS} weeks: ${duration(total)} on ${active} days`} data-testid="heatmap">
        {['Mon', '', 'Wed', '', 'Fri', '', 'Sun'].map((label, i) => (
          <span key={`label${i}`} class="heat-label">
            {label}
          </span>
        ))}
        {cells.map((day, i) =>
          day ? <span key={day.date} class={`cell l${level(day.focus_seconds)}`} title={`${day.date}: ${duration(day.focus_seconds)}`} /> : <span key={`pad${i}`} class="cell pad" />,
        )}
      </div>
      <figcaption class="legend muted small">
        Less <span class="cell l0" /> <span class="cell l1" /> <span class="cell l2" /> <span class="cell l3" /> <span class="cell l4" /> More
      </figcaption>
    </figure>
  );
}

function progressText(badge: Badge): string {
  const { current, target } = badge.progress;
  const type = badge.criteria.type;
  if (type === 'ended_before_hour') return `Finish a session before ${badge.criteria.threshold}:00`;
  if (type === 'ended_at_or_after_hour') return `Finish a session after ${badge.criteria.threshold}:00`;
  if (type.endsWith('focus_seconds')) return `${duration(Math.min(current, target))} / ${duration(target)}`;
  return `${Math.min(current, target)} / ${target}`;
}

function BadgeGrid({ badges, timeZone }: { badges: Badge[]; timeZone: string }) {
  const earnedOn = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' });
  return (
    <ul class="badge-grid" data-testid="badges">
      {badges.map((badge) => {
        const earned = Boolean(badge.earned_at);
        const pct = Math.min(100, Math.round((badge.progress.current / Math.max(1, badge.progress.target)) * 100));
        const counting = !badge.criteria.type.startsWith('ended_');
        return (
          <li key={badge.code} class={`badge ${earned ? 'earned' : ''}`} data-badge={badge.code} data-earned={earned ? 'yes' : 'no'}>
            <BadgeIcon type={badge.criteria.type} earned={earned} />
            <div class="badge-body">
              <strong class="badge-name">{badge.name}</strong>
              <span class="badge-desc">{badge.description}</span>
              {earned ? (
                <span class="badge-earned">Earned {earnedOn.format(new Date(badge.earned_at!))}</span>
              ) : (
                <span class="badge-progress">
                  {counting && (
                    <span class="meter" role="progressbar" aria-label={`${badge.name} progress`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
                      <span style={{ width: `${pct}%` }} />
                    </span>
                  )}
                  <span class="small muted">{progressText(badge)}</span>
                </span>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

const PAGE = 10;

function History({ timeZone }: { timeZone: string }) {
  const [items, setItems] = useState<FocusSession[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  const loadPage = useCallback(async (after: string | null) => {
    setBusy(true);
    setFailed(false);
    try {
      const page = await loadHistory(after, PAGE);
      setItems((prev) => (after ? [...prev, ...page.sessions] : page.sessions));
      setCursor(page.cursor);
      setHasMore(page.hasMore);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void loadPage(null);
  }, [loadPage]);

  const when = new Intl.DateTimeFormat(undefined, { timeZone, weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  if (!busy && !failed && items.length === 0) return <p class="muted">No sessions yet. Your first Lock-in will show up here.</p>;
  return (
    <div>
      <ul class="history" data-testid="history">
        {items.map((s) => (
          <li key={s.id}>
            <span class="history-when">{when.format(new Date(s.started_at))}</span>
            <span class="history-what">
              {duration(s.elapsed_seconds)} <span class="muted">of {duration(s.duration_seconds)}</span>
            </span>
            <span class={`pill ${s.status}`}>{s.status}</span>
          </li>
        ))}
      </ul>
      {failed && <p class="error">History could not be loaded.</p>}
      {hasMore && (
        <button type="button" class="secondary" disabled={busy} onClick={() => loadPage(cursor)}>
          {busy ? 'Loading…' : 'Show more'}
        </button>
      )}
    </div>
  );
}
